// The outgoing side of one server-sent event stream. Upstream watches push as fast as the API server sends; the
// browser reads as fast as it can. When the reader falls behind by more than maxBytes, the queue is dropped and only
// the final message (the client is told to list again) is left: holding on would grow the portal's memory without
// bound for one slow tab. A single message larger than the bound (a relist of a big namespace) is still accepted
// when nothing is waiting before it, so memory stays within maxBytes plus the one message that exists anyway.
import 'server-only';

export class SseQueue {
  private items: string[] = [];
  private head = 0;
  private bytes = 0;
  private ended = false;
  private waiter: ((s: string | null) => void) | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Queues one chunk; false when the reader is too slow (the queue then holds only `onOverflow` and ends). */
  push(chunk: string, onOverflow: string): boolean {
    if (this.ended) return false;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(chunk);
      return true;
    }
    const pending = this.items.length - this.head;
    if (pending > 0 && this.bytes + chunk.length > this.maxBytes) {
      this.items = [onOverflow];
      this.head = 0;
      this.bytes = onOverflow.length;
      this.ended = true;
      return false;
    }
    this.items.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  /** Ends the stream after what is queued, with an optional last chunk. */
  end(last?: string): void {
    if (this.ended) return;
    if (last !== undefined) this.push(last, last);
    this.ended = true;
    if (this.waiter && this.head >= this.items.length) {
      const w = this.waiter;
      this.waiter = undefined;
      w(null);
    }
  }

  /** The next chunk, waiting for one; null once the stream has ended and everything was read. */
  next(): Promise<string | null> {
    if (this.head < this.items.length) {
      const chunk = this.items[this.head++]!;
      this.bytes -= chunk.length;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve(chunk);
    }
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  get isEnded(): boolean {
    return this.ended;
  }
}
