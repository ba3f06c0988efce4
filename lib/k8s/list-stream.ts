import type { Readable } from 'node:stream';
import { ManagedFieldsStripper } from './trim-stream';

// The list route's body (ListWire, lib/shared/list-wire.ts) streamed: each scope's list passes from the API server to
// the browser as it arrives, minus managedFields, one scope after another. Assembling a 10,000-VM list in memory
// first cost the route its latency budget in garbage-collection pauses.
//
// A failure before the first byte is the route's to answer with a status: the first `window` scopes' responses are
// open, with a 200, before the stream exists. A failure after that (a later scope refused, an upstream body cut
// short) errors the stream, which ends the HTTP response without its last chunk; and since the envelope is closed
// only after the last scope, no prefix of the body is a complete list for the browser to take as one.

/** Bytes gathered before a write: every write to the response is a compressor flush (Next flushes each chunk). */
const WRITE_BYTES = 64 * 1024;

export interface ListWireSource {
  scopes: readonly string[];
  /** Opens scope i's list: resolves with its body once the API server has answered 200, or null to leave it out. */
  open(i: number): Promise<Readable | null>;
  /** Scopes open at once: the one being sent and the next ones, whose responses wait, paused, behind it. */
  window: number;
}

/** Resolves once the first scopes are open (rejects with the first scope's failure, in scope order, otherwise). */
export async function openListWire(src: ListWireSource): Promise<ReadableStream<Uint8Array>> {
  const { scopes, window } = src;
  const heads: Promise<Readable | null>[] = [];
  const bodies = new Set<Readable>();
  let closed = false;
  const start = (i: number) => {
    const p = src.open(i);
    heads[i] = p;
    p.then(
      (b) => {
        if (!b) return;
        if (closed) b.destroy();
        else bodies.add(b);
      },
      () => undefined, // the generator or the first wave's check sees it
    );
  };
  const closeAll = () => {
    closed = true;
    for (const b of bodies) b.destroy();
    bodies.clear();
  };

  const first = Math.min(Math.max(1, window), scopes.length);
  for (let i = 0; i < first; i++) start(i);
  const settled = await Promise.allSettled(heads.slice(0, first));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    closeAll();
    throw failed.reason;
  }

  async function* chunks(): AsyncGenerator<Buffer> {
    let parts: Buffer[] = [Buffer.from('{"lists":{')];
    let size = 0;
    const gather = (b: Buffer) => {
      parts.push(b);
      size += b.length;
    };
    const take = () => {
      const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts = [];
      size = 0;
      return out;
    };
    let written = 0;
    for (let i = 0; i < scopes.length; i++) {
      const body = await heads[i]!;
      if (i + first < scopes.length) start(i + first);
      if (!body) continue;
      gather(Buffer.from(`${written++ ? ',' : ''}${JSON.stringify(scopes[i])}:`));
      const strip = new ManagedFieldsStripper();
      let received = 0;
      for await (const c of body) {
        received += (c as Buffer).length;
        for (const p of strip.push(c as Buffer)) gather(p);
        if (size >= WRITE_BYTES) yield take();
      }
      for (const p of strip.end()) gather(p);
      bodies.delete(body);
      if (received === 0) throw new Error(`the API server sent an empty list for scope ${JSON.stringify(scopes[i])}`);
    }
    gather(Buffer.from('}}'));
    yield take();
  }

  const it = chunks();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await it.next();
        if (r.done) {
          closeAll();
          controller.close();
        } else controller.enqueue(r.value);
      } catch (err) {
        closeAll();
        throw err;
      }
    },
    // The browser went away: the upstream responses are dropped, which frees their sockets and the user's turns.
    cancel() {
      closeAll();
    },
  });
}
