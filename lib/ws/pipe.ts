import type { RawData, WebSocket } from 'ws';
import { closeForUpstreamEnd, type CloseFrame } from './close';
import { ConsoleClose } from '../shared/console-protocol';

// Bytes both ways between the browser's websocket and KubeVirt's, as they come: binary frames only (a text frame
// from the browser is dropped, as virt-handler drops them). Bounded: when the unsent bytes towards one side pass the
// high-water mark the other side is no longer read (TCP then holds its sender back) until they fall below the
// low-water mark, so a slow browser cannot make the portal buffer a VM's output without end. Idle sides are pinged;
// one that neither answers nor drains what it was sent for two rounds is given up. Each side closes when the other
// does, and the browser learns why (lib/shared/console-protocol.ts).

export type Side = 'browser' | 'upstream';

export interface PipeOptions {
  highWaterBytes: number;
  lowWaterBytes: number;
  pingIntervalMs: number;
  // How an end of the upstream socket is told to the browser (the proxy says "replaced" when it knows better).
  upstreamEnd?: (code: number, reason: string) => CloseFrame;
}

export interface PipeEnd {
  by: Side | 'portal';
  code: number; // as the browser was (or would have been) told
  reason: string;
}

export interface DirectionStats {
  bytes: number; // forwarded to this side
  buffered: number; // sent towards this side, not yet written to its socket
  peakBuffered: number;
  pauses: number; // times the other side stopped being read because this one fell behind
}

interface Direction {
  to: WebSocket;
  from: WebSocket;
  stats: DirectionStats;
  flushed: number; // bytes whose write completed
  paused: boolean;
}

interface Liveness {
  heard: boolean; // a frame or a pong since the last round
  pinged: boolean; // a ping is out and unanswered
  flushedAtPing: number;
}

const toBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

export class ConsolePipe {
  private readonly toBrowser: Direction;
  private readonly toUpstream: Direction;
  private readonly alive: Record<Side, Liveness> = {
    browser: { heard: true, pinged: false, flushedAtPing: 0 },
    upstream: { heard: true, pinged: false, flushedAtPing: 0 },
  };
  private readonly timer: ReturnType<typeof setInterval>;
  private ended: PipeEnd | undefined;
  droppedTextFrames = 0;

  constructor(
    private readonly browser: WebSocket,
    private readonly upstream: WebSocket,
    private readonly opts: PipeOptions,
    private readonly onEnd: (end: PipeEnd) => void,
  ) {
    const stats = (): DirectionStats => ({ bytes: 0, buffered: 0, peakBuffered: 0, pauses: 0 });
    this.toBrowser = { to: browser, from: upstream, stats: stats(), flushed: 0, paused: false };
    this.toUpstream = { to: upstream, from: browser, stats: stats(), flushed: 0, paused: false };

    browser.on('message', (data, isBinary) => {
      this.alive.browser.heard = true;
      if (!isBinary) {
        this.droppedTextFrames++;
        return;
      }
      this.forward(this.toUpstream, toBuffer(data));
    });
    upstream.on('message', (data, isBinary) => {
      this.alive.upstream.heard = true;
      // KubeVirt sends binary frames; a text frame's bytes are the guest's all the same.
      void isBinary;
      this.forward(this.toBrowser, toBuffer(data));
    });
    browser.on('pong', () => (this.alive.browser.heard = true));
    upstream.on('pong', () => (this.alive.upstream.heard = true));
    // A socket error is followed by its close event; that is where the pipe ends.
    browser.on('error', () => undefined);
    upstream.on('error', () => undefined);
    browser.on('close', (code, reason) => this.finish({ by: 'browser', code, reason: reason.toString('utf8') }));
    upstream.on('close', (code, reason) => {
      const told = (this.opts.upstreamEnd ?? closeForUpstreamEnd)(code, reason.toString('utf8'));
      this.finish({ by: 'upstream', ...told });
    });

    this.timer = setInterval(() => this.round(), opts.pingIntervalMs);
    this.timer.unref?.();
    // The upstream socket comes paused (subresource-socket.ts): now that the listeners are on, nothing is lost.
    upstream.resume();
  }

  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  stats(): { toBrowser: DirectionStats; toUpstream: DirectionStats } {
    for (const d of [this.toBrowser, this.toUpstream]) d.stats.buffered = d.to.bufferedAmount;
    return { toBrowser: { ...this.toBrowser.stats }, toUpstream: { ...this.toUpstream.stats } };
  }

  /** Ends both sides for a reason of the portal's (session end, replaced, shutdown): the browser gets code and reason. */
  close(code: number, reason: string): void {
    this.finish({ by: 'portal', code, reason });
  }

  private forward(d: Direction, chunk: Buffer): void {
    if (this.ended || d.to.readyState !== d.to.OPEN) return;
    d.stats.bytes += chunk.length;
    d.to.send(chunk, { binary: true }, (err) => {
      if (err) return;
      d.flushed += chunk.length;
      if (d.paused && d.to.bufferedAmount <= this.opts.lowWaterBytes) {
        d.paused = false;
        d.from.resume();
      }
    });
    const buffered = d.to.bufferedAmount;
    if (buffered > d.stats.peakBuffered) d.stats.peakBuffered = buffered;
    if (!d.paused && buffered > this.opts.highWaterBytes) {
      d.paused = true;
      d.stats.pauses++;
      d.from.pause();
    }
  }

  // One round of keep-alive for each side: a side heard from since the last round is alive; an idle one is pinged;
  // one that was pinged and has neither answered nor taken any of the bytes sent to it since is given up. A side
  // the pipe has stopped reading (backpressure) cannot be heard, so it is not judged.
  private round(): void {
    if (this.ended) return;
    for (const side of ['browser', 'upstream'] as const) {
      const ws = side === 'browser' ? this.browser : this.upstream;
      const towards = side === 'browser' ? this.toBrowser : this.toUpstream;
      const from = side === 'browser' ? this.toUpstream : this.toBrowser;
      const l = this.alive[side];
      if (l.heard || from.paused || towards.flushed > l.flushedAtPing) {
        l.heard = false;
        l.pinged = false;
        l.flushedAtPing = towards.flushed;
        continue;
      }
      if (l.pinged) {
        // A process that stalled (GC, a busy host) runs its overdue timers before it reads its sockets, so an answer
        // may be waiting unread: the verdict comes after one more pass over the sockets, which reads it.
        setImmediate(() => {
          if (!this.ended && !l.heard) this.unresponsive(side);
        });
        return;
      }
      l.pinged = true;
      l.flushedAtPing = towards.flushed;
      try {
        ws.ping();
      } catch {
        // Not open any more: its close event ends the pipe.
      }
    }
  }

  private unresponsive(side: Side): void {
    if (side === 'upstream') {
      this.upstream.terminate();
      this.finish({ by: 'upstream', code: ConsoleClose.UNRESPONSIVE, reason: 'The VM’s console stopped answering.' });
    } else {
      // Nobody is left to tell: the browser is gone.
      this.browser.terminate();
      this.finish({ by: 'browser', code: 1006, reason: 'The browser stopped answering.' });
    }
  }

  private finish(end: PipeEnd): void {
    if (this.ended) return;
    this.ended = end;
    clearInterval(this.timer);
    // Neither side is read any more: what is still in flight is dropped with the sockets.
    if (this.browser.readyState === this.browser.OPEN) this.browser.close(end.code, end.reason);
    else if (this.browser.readyState === this.browser.CONNECTING) this.browser.terminate();
    if (this.upstream.readyState === this.upstream.OPEN) this.upstream.close(ConsoleClose.NORMAL);
    else if (this.upstream.readyState === this.upstream.CONNECTING) this.upstream.terminate();
    // A paused socket would never read the peer's close frame.
    this.browser.resume();
    this.upstream.resume();
    this.onEnd(end);
  }
}
