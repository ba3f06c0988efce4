import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotFromWire } from '../live/wire';
import type { ListWire } from '../shared/list-wire';
import { openListWire } from './list-stream';

const vm = (ns: string, name: string) => ({
  metadata: { name, namespace: ns, managedFields: [{ manager: 'x', fieldsV1: { 'f:spec': { 'k:{"a":"]"}': {} } } }] },
  spec: { runStrategy: 'Halted' },
});

// A scope's list as the API server writes it (a trailing newline; an empty list's items as null).
const listOf = (ns: string, n: number, rv: string) =>
  Buffer.from(`${JSON.stringify({ kind: 'VirtualMachineList', metadata: { resourceVersion: rv }, items: n ? Array.from({ length: n }, (_, i) => vm(ns, `vm-${i}`)) : null })}\n`);

/** `body` cut at `cuts` into the chunks of a readable. */
function chunked(body: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (at > from) out.push(body.subarray(from, at));
    from = at;
  }
  if (from < body.length) out.push(body.subarray(from));
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return Buffer.concat(parts).toString('utf8');
    parts.push(r.value);
  }
}

describe('openListWire', () => {
  it('joins several scopes into one ListWire the browser reads, whatever the chunk boundaries', async () => {
    const scopes = ['team-a', 'team-b', 'team-c'];
    const bodies = [listOf('team-a', 3, '10'), listOf('team-b', 0, '11'), listOf('team-c', 2, '12')];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 8 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 3 }), async (cuts, window) => {
        const stream = await openListWire({ scopes, window, open: async (i) => Readable.from(chunked(bodies[i]!, cuts[i]!)) });
        const text = await readAll(stream);
        expect(text).not.toContain('managedFields');
        const snap = snapshotFromWire(JSON.parse(text) as ListWire);
        expect(snap.items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual(['team-a/vm-0', 'team-a/vm-1', 'team-a/vm-2', 'team-c/vm-0', 'team-c/vm-1']);
        expect(snap.resourceVersions).toEqual({ 'team-a': '10', 'team-b': '11', 'team-c': '12' });
      }),
      { numRuns: 60 },
    );
  });

  it('leaves out the scopes opened as null (a namespace no longer the user\'s), first, middle or last, in any window', async () => {
    const scopes = ['a', 'b', 'c', 'd'];
    for (const window of [1, 2, 8]) {
      for (const left of [['a'], ['b', 'c'], ['d'], ['a', 'b', 'c', 'd']]) {
        const open = async (i: number) => (left.includes(scopes[i]!) ? null : Readable.from([listOf(scopes[i]!, 1, String(i + 1))]));
        const snap = snapshotFromWire(JSON.parse(await readAll(await openListWire({ scopes, window, open }))) as ListWire);
        const kept = scopes.filter((s) => !left.includes(s));
        expect(Object.keys(snap.resourceVersions)).toEqual(kept);
        expect(snap.items.map((o) => o.metadata?.namespace)).toEqual(kept);
      }
    }
  });

  it('sends an empty envelope for no scopes', async () => {
    const stream = await openListWire({ scopes: [], window: 8, open: () => Promise.reject(new Error('not called')) });
    expect(JSON.parse(await readAll(stream))).toEqual({ lists: {} });
  });

  it('rejects before any byte when one of the first scopes is refused, and drops the ones that answered', async () => {
    const refused = Object.assign(new Error('forbidden'), { status: 403 });
    const opened: Readable[] = [];
    const open = async (i: number) => {
      if (i === 1) throw refused;
      const r = Readable.from([listOf('x', 1, '1')]);
      opened.push(r);
      return r;
    };
    await expect(openListWire({ scopes: ['a', 'b', 'c'], window: 8, open })).rejects.toBe(refused);
    expect(opened).toHaveLength(2);
    expect(opened.every((r) => r.destroyed)).toBe(true);
  });

  it('errors the stream when an upstream body fails midway, so the reader never gets a closed envelope', async () => {
    const body = listOf('team-a', 5, '7');
    const cutShort = () =>
      new Readable({
        read() {
          this.push(body.subarray(0, 300));
          this.destroy(new Error('upstream connection reset'));
        },
      });
    const stream = await openListWire({ scopes: ['team-a'], window: 8, open: async () => cutShort() });
    const received: Uint8Array[] = [];
    const reader = stream.getReader();
    const failure = await (async () => {
      for (;;) {
        const r = await reader.read();
        if (r.done) return undefined;
        received.push(r.value);
      }
    })().catch((err: Error) => err);
    expect(failure?.message).toMatch(/upstream connection reset/);
    expect(() => JSON.parse(Buffer.concat(received).toString('utf8'))).toThrow();
  });

  it('errors the stream when a later scope is refused after the first bytes went out', async () => {
    const refused = new Error('forbidden later');
    const open = async (i: number) => {
      if (i === 1) throw refused;
      return Readable.from([listOf('a', 1, '1')]);
    };
    const stream = await openListWire({ scopes: ['a', 'b'], window: 1, open });
    await expect(readAll(stream)).rejects.toBe(refused);
  });

  it('refuses an upstream body that is empty', async () => {
    const stream = await openListWire({ scopes: ['a'], window: 8, open: async () => Readable.from([]) });
    await expect(readAll(stream)).rejects.toThrow(/empty list/);
  });

  it('destroys the open upstream bodies when the browser goes away', async () => {
    const opened: Readable[] = [];
    const open = async () => {
      // Endless: only a cancel ends it.
      const r = new Readable({
        read() {
          this.push(Buffer.from('{"items":[' + '{"metadata":{"name":"x"}},'.repeat(100)));
        },
      });
      opened.push(r);
      return r;
    };
    const stream = await openListWire({ scopes: ['a', 'b'], window: 2, open });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(opened).toHaveLength(2);
    expect(opened.every((r) => r.destroyed)).toBe(true);
  });
});
