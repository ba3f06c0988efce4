import { describe, expect, it } from 'vitest';
import { ConsoleConnection, type Clock, type ConsoleState, type SocketLike } from './connection';
import type { Diagnosis } from './diagnose';
import { ConsoleClose } from '../shared/console-protocol';

// The browser console's connection on a fake clock with fake sockets: every wait is counted, nothing sleeps.

class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  /** Moves time on, firing what falls due in order. */
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
  get pending() {
    return this.timers.length;
  }
}

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: Uint8Array[] = [];
  closedWith: number | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: Uint8Array) {
    this.sent.push(Uint8Array.from(data));
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // The server's side of things:
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(data: unknown) {
    this.onmessage?.({ data });
  }
  end(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(opts: { diagnosis?: Diagnosis; random?: number } = {}) {
  const clock = new FakeClock();
  const sockets: FakeSocket[] = [];
  const states: ConsoleState[] = [];
  const data: number[] = [];
  let diagnoses = 0;
  let refreshes = 0;
  const conn = new ConsoleConnection({
    url: 'ws://localhost:3000/api/consoles/ns/vm/serial',
    openSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    diagnose: async () => {
      diagnoses++;
      return opts.diagnosis ?? { verdict: 'retry' };
    },
    refreshSession: async () => {
      refreshes++;
    },
    clock,
    random: () => opts.random ?? 0.999999,
    onState: (s) => states.push(s),
    onData: (b) => data.push(...b),
    stableMs: 10_000,
  });
  const last = () => sockets[sockets.length - 1]!;
  return { clock, sockets, states, data, conn, last, diagnoses: () => diagnoses, refreshes: () => refreshes };
}

describe('ConsoleConnection', () => {
  it('connects with plain.kubevirt.io as arraybuffer, writes received bytes, and sends keystrokes as binary', () => {
    const h = setup();
    h.conn.start();
    expect(h.conn.state).toEqual({ kind: 'connecting', attempt: 0 });
    const s = h.last();
    expect(s.protocols).toEqual(['plain.kubevirt.io']);
    expect(s.binaryType).toBe('arraybuffer');
    expect(h.conn.send(new Uint8Array([1]))).toBe(false); // not yet
    s.open();
    expect(h.conn.state).toEqual({ kind: 'connected' });
    s.message(new Uint8Array([104, 105, 0xff]).buffer);
    s.message('text is not the guest’s bytes');
    expect(h.data).toEqual([104, 105, 0xff]);
    expect(h.conn.send(new Uint8Array([0x0d]))).toBe(true);
    expect(s.sent).toEqual([new Uint8Array([0x0d])]);
  });

  it('splits a large paste into frames of at most 4 KiB', () => {
    const h = setup();
    h.conn.start();
    h.last().open();
    h.conn.send(new Uint8Array(10_000).fill(65));
    expect(h.last().sent.map((x) => x.length)).toEqual([4096, 4096, 1808]);
  });

  it('reconnects with exponential backoff (1 s, 2 s, 4 s ... 30 s) after unexpected closes', () => {
    const h = setup();
    h.conn.start();
    h.last().open();
    h.last().end(ConsoleClose.UPSTREAM_CLOSED, 'The VM’s console closed.');
    expect(h.conn.state).toEqual({ kind: 'reconnecting', attempt: 1, retryAt: 1000, last: { code: ConsoleClose.UPSTREAM_CLOSED, reason: 'The VM’s console closed.' } });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = h.sockets.length;
      const state = h.conn.state as Extract<ConsoleState, { kind: 'reconnecting' }>;
      waits.push(state.retryAt - h.clock.t);
      h.clock.advance(state.retryAt - h.clock.t - 1);
      expect(h.sockets.length).toBe(before); // not a moment early
      h.clock.advance(1);
      expect(h.sockets.length).toBe(before + 1);
      expect(h.conn.state.kind).toBe('connecting');
      h.last().open();
      h.last().end(1006);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('starts counting again once a connection has lasted: a live migration reconnects within a second', () => {
    const h = setup();
    h.conn.start();
    h.last().open();
    for (let i = 0; i < 3; i++) {
      h.last().end(1006);
      h.clock.advance(60_000);
      h.last().open();
    }
    h.clock.advance(10_000); // stable
    h.last().end(ConsoleClose.UPSTREAM_CLOSED); // the VMI moved to another node
    expect(h.conn.state).toMatchObject({ kind: 'reconnecting', attempt: 1, retryAt: h.clock.t + 1000 });
    h.clock.advance(1000);
    h.last().open(); // the VMI on its new node
    expect(h.conn.state).toEqual({ kind: 'connected' });
  });

  it('jitters the waits', () => {
    const h = setup({ random: 0 });
    h.conn.start();
    h.last().open();
    h.last().end(1006);
    expect(h.conn.state).toMatchObject({ retryAt: 500 });
  });

  it.each([
    ['access refused', ConsoleClose.REFUSED_FORBIDDEN],
    ['signed out', ConsoleClose.SESSION_ENDED],
    ['replaced by another console', ConsoleClose.REPLACED],
    ['over the cap', ConsoleClose.TOO_MANY],
    ['credential refused by the cluster', ConsoleClose.REFUSED_UNAUTHENTICATED],
  ])('stops for good after a close for %s', (_, code) => {
    const h = setup();
    h.conn.start();
    h.last().open();
    h.last().end(code, 'why');
    expect(h.conn.state).toEqual({ kind: 'disconnected', last: { code, reason: 'why' } });
    h.clock.advance(10 * 60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.clock.pending).toBe(0);
  });

  it('asks why a handshake failed: retries when nothing refused it', async () => {
    const h = setup();
    h.conn.start();
    h.last().end(1006);
    await flush();
    expect(h.diagnoses()).toBe(1);
    expect(h.conn.state).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    h.clock.advance(1000);
    expect(h.sockets).toHaveLength(2);
  });

  it('asks why a handshake failed: stops with the refusal', async () => {
    const h = setup({ diagnosis: { verdict: 'final', code: ConsoleClose.SESSION_ENDED, reason: 'Sign in first.' } });
    h.conn.start();
    h.last().end(1006);
    await flush();
    expect(h.conn.state).toEqual({ kind: 'disconnected', last: { code: ConsoleClose.SESSION_ENDED, reason: 'Sign in first.' } });
    h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('refreshes the session and reconnects at once after the session’s end; waits if that keeps happening', async () => {
    const h = setup();
    h.conn.start();
    h.last().open();
    h.last().end(ConsoleClose.SESSION_EXPIRED, 'Your session reached its end; reconnect to continue.');
    await flush();
    expect(h.refreshes()).toBe(1);
    expect(h.sockets).toHaveLength(2);
    expect(h.conn.state).toEqual({ kind: 'connecting', attempt: 1 });
    h.last().open();
    h.last().end(ConsoleClose.SESSION_EXPIRED);
    await flush();
    expect(h.conn.state).toMatchObject({ kind: 'reconnecting', attempt: 2 });
  });

  it('reconnects at once when asked, and leaves for good when stopped', () => {
    const h = setup();
    h.conn.start();
    h.last().open();
    h.last().end(ConsoleClose.REPLACED);
    expect(h.conn.state.kind).toBe('disconnected');
    h.conn.reconnectNow();
    expect(h.sockets).toHaveLength(2);
    h.last().open();
    h.last().end(1006);
    expect(h.conn.state.kind).toBe('reconnecting');
    h.conn.reconnectNow(); // skip the wait
    expect(h.sockets).toHaveLength(3);
    expect(h.clock.pending).toBe(0);
    h.last().open();
    h.conn.stop();
    expect(h.last().closedWith).toBe(1000);
    expect(h.conn.state).toEqual({ kind: 'disconnected', last: { code: 1000, reason: '' } });
    h.last().end(1000); // the socket's own close event afterwards changes nothing
    h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(3);
  });

  it('ignores the events of a socket it has moved on from', () => {
    const h = setup();
    h.conn.start();
    const first = h.last();
    first.open();
    first.end(1006);
    h.clock.advance(1000);
    const second = h.last();
    first.message(new Uint8Array([1]).buffer);
    first.end(1006);
    expect(h.data).toEqual([]);
    expect(h.conn.state).toEqual({ kind: 'connecting', attempt: 1 });
    second.open();
    expect(h.conn.state).toEqual({ kind: 'connected' });
  });
});
