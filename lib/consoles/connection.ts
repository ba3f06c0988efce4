import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { Diagnosis } from './diagnose';
import { closeAdvice, CONSOLE_SUBPROTOCOL, ConsoleClose } from '../shared/console-protocol';

// One console's connection in the browser, as a small state machine over an injected socket factory and clock, so
// its rules are unit-tested on a fake clock:
//   connecting -> connected -> (unexpected close) reconnecting (attempt n, at time t) -> connecting -> ...
//   any close the portal marks final (access refused, signed out, replaced by another console, over a cap) or the
//   user leaving -> disconnected, until the user asks again.
// A handshake that fails before opening is diagnosed (diagnose.ts): a refusal is final, anything else is retried.
// A close for the session's end refreshes the session first, then reconnects at once. The attempt count starts
// again once a connection has stayed up for a while, so a console that is closed each time the VM moves to another
// node (a live migration) reconnects within a second or two every time.

export interface CloseInfo {
  code: number;
  reason: string; // the portal's or the cluster's words, as sent
}

export type ConsoleState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number; last: CloseInfo }
  | { kind: 'disconnected'; last: CloseInfo };

/** The part of the browser's WebSocket the connection uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ConsoleConnectionDeps {
  url: string;
  openSocket(url: string, protocols: string[]): SocketLike;
  diagnose(): Promise<Diagnosis>;
  refreshSession(): Promise<void>;
  clock: Clock;
  random(): number;
  onState(state: ConsoleState): void;
  onData(bytes: Uint8Array): void;
  backoff?: BackoffOptions;
  stableMs?: number; // connected this long: the attempt count starts again (default 10 s)
  maxFrameBytes?: number; // larger sends are split (default 4 KiB)
}

const OPEN = 1;
const LEFT: CloseInfo = { code: ConsoleClose.NORMAL, reason: '' };

export class ConsoleConnection {
  private socket: SocketLike | undefined;
  private current: ConsoleState = { kind: 'connecting', attempt: 0 };
  private attempt = 0;
  private timer: unknown;
  private stableTimer: unknown;
  private generation = 0; // a socket's handlers act only while it is the current one
  private stopped = false;

  constructor(private readonly deps: ConsoleConnectionDeps) {}

  get state(): ConsoleState {
    return this.current;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Sends the user's bytes; false (and nothing sent) while not connected. */
  send(bytes: Uint8Array): boolean {
    const s = this.socket;
    if (this.current.kind !== 'connected' || !s || s.readyState !== OPEN) return false;
    const max = this.deps.maxFrameBytes ?? 4096;
    for (let i = 0; i < bytes.length; i += max) s.send(bytes.subarray(i, i + max));
    return true;
  }

  /** The user asks for a connection now: from disconnected, or skipping the wait of a retry. */
  reconnectNow(): void {
    if (this.current.kind === 'connected' || this.current.kind === 'connecting') return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** The user leaves: the socket is closed and nothing reconnects. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.generation++;
    const s = this.socket;
    this.socket = undefined;
    if (s && s.readyState <= OPEN) s.close(ConsoleClose.NORMAL);
    this.setState({ kind: 'disconnected', last: LEFT });
  }

  private setState(s: ConsoleState): void {
    this.current = s;
    this.deps.onState(s);
  }

  private clearTimers(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    if (this.stableTimer !== undefined) this.deps.clock.clearTimeout(this.stableTimer);
    this.timer = undefined;
    this.stableTimer = undefined;
  }

  private connect(): void {
    this.clearTimers();
    const gen = ++this.generation;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    let opened = false;
    let s: SocketLike;
    try {
      s = this.deps.openSocket(this.deps.url, [CONSOLE_SUBPROTOCOL]);
    } catch {
      this.retry({ code: 1006, reason: '' });
      return;
    }
    this.socket = s;
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      if (gen !== this.generation) return;
      opened = true;
      this.setState({ kind: 'connected' });
      this.stableTimer = this.deps.clock.setTimeout(() => {
        this.stableTimer = undefined;
        this.attempt = 0;
      }, this.deps.stableMs ?? 10_000);
    };
    s.onmessage = (ev) => {
      if (gen !== this.generation) return;
      // Binary frames only: the guest's bytes.
      if (ev.data instanceof ArrayBuffer) this.deps.onData(new Uint8Array(ev.data));
    };
    s.onerror = () => undefined;
    s.onclose = (ev) => {
      if (gen !== this.generation || this.stopped) return;
      this.socket = undefined;
      if (this.stableTimer !== undefined) {
        this.deps.clock.clearTimeout(this.stableTimer);
        this.stableTimer = undefined;
      }
      const last: CloseInfo = { code: ev.code, reason: ev.reason ?? '' };
      if (!opened) {
        void this.afterFailedHandshake(gen, last);
        return;
      }
      const advice = closeAdvice(ev.code);
      if (advice === 'final') this.setState({ kind: 'disconnected', last });
      else if (advice === 'refresh') void this.afterSessionEnd(gen, last);
      else this.retry(last);
    };
  }

  private async afterFailedHandshake(gen: number, last: CloseInfo): Promise<void> {
    // Shown while the check runs: the next attempt is on its way unless the check says otherwise.
    let d: Diagnosis;
    try {
      d = await this.deps.diagnose();
    } catch {
      d = { verdict: 'retry' };
    }
    if (gen !== this.generation || this.stopped) return;
    if (d.verdict === 'final') this.setState({ kind: 'disconnected', last: { code: d.code, reason: d.reason } });
    else this.retry(last);
  }

  private async afterSessionEnd(gen: number, last: CloseInfo): Promise<void> {
    try {
      await this.deps.refreshSession();
    } catch {
      // The next handshake tells whether the session still holds.
    }
    if (gen !== this.generation || this.stopped) return;
    // Once at once; a session that keeps ending before the console has settled waits like any other retry.
    if (this.attempt > 0) {
      this.retry(last);
      return;
    }
    this.attempt++;
    this.connect();
  }

  private retry(last: CloseInfo): void {
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF);
    this.setState({ kind: 'reconnecting', attempt: this.attempt, retryAt: this.deps.clock.now() + delay, last });
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }
}
