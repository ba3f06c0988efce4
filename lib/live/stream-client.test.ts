import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveStatus } from './live-status';
import type { StreamEvent, StreamOpenRequest, SubscriptionsRequest } from '../shared/live-protocol';
import { LiveStreamClient, type StreamDeps, type SubscriptionHandlers } from './stream-client';
import type { ResourceVersions } from '../shared/kube-object';

// The client's timers (event batching, backoff, idle close) run on a fake clock that each tick advances, with the
// promise jobs of the stream reads settled in between: what happens in `ms` no longer depends on how busy the
// machine is (a real 5 ms wait was too short on a loaded CI machine).
const tick = (ms = 5) => vi.advanceTimersByTimeAsync(ms);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const ids = ['AAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCCCCCCCC'];

// A fake portal: each open() is a stream the test writes server messages into, opened with the subscriptions it
// carries (answered by RESULTS after HELLO); post() records the ops and answers ok unless told otherwise, or 404
// while lost (the stream is on another replica).
function portal(answer: (op: SubscriptionsRequest['ops'][number]) => { ok: true } | { ok: false; error: { code: string; message: string } } = () => ({ ok: true })) {
  const streams: { push(m: unknown): void; close(): void }[] = [];
  const posts: SubscriptionsRequest[] = [];
  const opens: StreamOpenRequest['ops'][] = [];
  const signals: AbortSignal[] = [];
  let refuse: Response | undefined;
  let lost = false;
  const deps: StreamDeps = {
    open: async (signal, ops) => {
      if (refuse) return refuse;
      opens.push(ops);
      signals.push(signal);
      let ctl!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
      const enc = new TextEncoder();
      const s = {
        push: (m: unknown) => ctl.enqueue(enc.encode(`data: ${JSON.stringify(m)}\n\n`)),
        close: () => ctl.close(),
      };
      signal.addEventListener('abort', () => {
        try {
          ctl.close();
        } catch {
          // already closed
        }
      });
      streams.push(s);
      s.push({ type: 'HELLO', streamId: ids[streams.length - 1] });
      if (ops.length) s.push({ type: 'RESULTS', results: ops.map((op) => ({ id: op.id, ...answer(op) })) });
      return new Response(body, { status: 200 });
    },
    post: async (body) => {
      posts.push(body);
      if (lost) throw Object.assign(new Error('not here'), { status: 404 });
      return { results: body.ops.map((op) => ({ id: op.id, ...answer(op) })) };
    },
    refreshSession: async () => true,
    failureOf: (err) => ({ status: (err as { status?: number }).status ?? 0, code: 'network', message: String(err) }),
    flushMs: 1,
    idleMs: 50,
    backoffMs: () => 1,
    hiddenGraceMs: 100,
  };
  // Every subscribe op sent, inline or posted, in order.
  const subscribes = () => [...opens.flat(), ...posts.flatMap((b) => b.ops)].filter((o) => o.op === 'subscribe');
  return { deps, streams, posts, opens, signals, subscribes, refuseWith: (r: Response | undefined) => (refuse = r), lose: (on: boolean) => (lost = on) };
}

// Each relist leaves the versions next in `relisted` ({ a: '100' } when none is left).
function list(initial: ResourceVersions = { a: '1' }, relisted: ResourceVersions[] = []) {
  const state = { rvs: { ...initial }, events: [] as StreamEvent[], statuses: [] as LiveStatus[], relists: 0 };
  const h: SubscriptionHandlers = {
    rvs: () => state.rvs,
    events: (batch) => {
      state.events.push(...batch);
      for (const ev of batch) if (ev.type !== 'ERROR') state.rvs[ev.scope] = ev.type === 'RELIST' || ev.type === 'BOOKMARK' ? ev.resourceVersion : ev.object.metadata!.resourceVersion!;
    },
    status: (s) => state.statuses.push(s),
    relist: async () => {
      state.relists++;
      state.rvs = relisted.shift() ?? { a: '100' };
    },
  };
  return { state, h };
}

const obj = (name: string, rv: string) => ({ metadata: { namespace: 'a', name, resourceVersion: rv } });

describe('LiveStreamClient', () => {
  it('carries every list of the page on one stream, each from its cached versions', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list({ a: '1' });
    const vmis = list({ a: '2' });
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    c.subscribe({ resource: 'virtualmachineinstances' }, vmis.h);
    await tick();
    expect(p.streams).toHaveLength(1);
    // The first list opens the stream with it; the second, subscribed while the stream was opening, follows HELLO.
    expect(p.opens).toEqual([[{ op: 'subscribe', id: 's1.1', resource: 'virtualmachines', namespaces: [], rv: { a: '1' } }]]);
    expect(p.posts).toEqual([{ streamId: ids[0], ops: [{ op: 'subscribe', id: 's2.1', resource: 'virtualmachineinstances', namespaces: [], rv: { a: '2' } }] }]);
  });

  it('hands events over in batches, goes live on LIVE, and shows a watch error with its reason', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines', namespaces: ['a'] }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'LIVE', sub: 's1.1' });
    p.streams[0]!.push({ type: 'ADDED', sub: 's1.1', scope: 'a', object: obj('x', '5') });
    p.streams[0]!.push({ type: 'MODIFIED', sub: 's1.1', scope: 'a', object: obj('x', '6') });
    p.streams[0]!.push({ type: 'ADDED', sub: 'other.1', scope: 'a', object: obj('y', '7') }); // not ours: ignored
    await tick();
    expect(vms.state.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(vms.state.statuses).toEqual(['connecting', 'live']);
    p.streams[0]!.push({ type: 'ERROR', sub: 's1.1', scope: 'a', error: { code: 'forbidden', message: 'Not allowed to watch virtualmachines.kubevirt.io in namespace "a".' }, final: true });
    await tick();
    expect(vms.state.statuses.at(-1)).toEqual({ error: { code: 'forbidden', message: 'Not allowed to watch virtualmachines.kubevirt.io in namespace "a".', retrying: false } });
  });

  it('after the stream drops, reconnects and resubscribes everything from the versions now in the cache', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list({ a: '1' });
    c.subscribe({ resource: 'virtualmachines', namespaces: ['a'] }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'ADDED', sub: 's1.1', scope: 'a', object: obj('x', '9') });
    p.streams[0]!.close();
    await tick(20);
    expect(vms.state.statuses).toContain('reconnecting');
    expect(p.streams).toHaveLength(2);
    expect(p.opens[1]).toEqual([{ op: 'subscribe', id: 's1.2', resource: 'virtualmachines', namespaces: ['a'], rv: { a: '9' } }]);
    expect(p.posts).toEqual([]);
  });

  it('END with relist: lists again before resubscribing', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'END', error: { code: 'too_slow', message: 'slow' }, relist: true });
    await tick(1100);
    expect(vms.state.relists).toBe(1);
    expect(p.subscribes().at(-1)).toMatchObject({ op: 'subscribe', rv: { a: '100' } });
  });

  it('the routine end of a stream\'s lifetime reconnects at once, without showing "reconnecting"', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'LIVE', sub: 's1.1' });
    p.streams[0]!.push({ type: 'END', error: { code: 'expired', message: 'lifetime' }, relist: false });
    await tick(20);
    expect(p.streams).toHaveLength(2);
    expect(vms.state.relists).toBe(0);
    expect(vms.state.statuses).toEqual(['connecting', 'live']);
    expect(p.subscribes().at(-1)).toMatchObject({ op: 'subscribe', id: 's1.2' });
  });

  it('versions refused as not fitting (gone): lists again and resubscribes; other refusals are shown', async () => {
    let first = true;
    const p = portal((op) => {
      if (op.op === 'subscribe' && op.resource === 'virtualmachines' && first) {
        first = false;
        return { ok: false, error: { code: 'gone', message: 'list again' } };
      }
      if (op.op === 'subscribe' && op.resource === 'events') return { ok: false, error: { code: 'too_many_requests', message: 'close other tabs' } };
      return { ok: true };
    });
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    const events = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    c.subscribe({ resource: 'events' }, events.h);
    await tick(20);
    expect(vms.state.relists).toBe(1);
    expect(p.subscribes().filter((o) => o.op === 'subscribe' && o.resource === 'virtualmachines').map((o) => o.op === 'subscribe' && o.rv)).toEqual([{ a: '1' }, { a: '100' }]);
    expect(events.state.statuses.at(-1)).toEqual({ error: { code: 'too_many_requests', message: 'close other tabs', retrying: false } });
  });


  it('a watch ended for good as gone (a namespace no longer the user\'s): lists again and resubscribes from the new versions', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'LIVE', sub: 's1.1' });
    p.streams[0]!.push({ type: 'ERROR', sub: 's1.1', scope: 'b', error: { code: 'gone', message: 'You no longer work in namespace b.' }, final: true });
    await tick(20);
    expect(vms.state.relists).toBe(1);
    expect(p.subscribes().filter((o) => o.op === 'subscribe').map((o) => o.op === 'subscribe' && o.rv)).toEqual([{ a: '1' }, { a: '100' }]);
    expect(vms.state.statuses.some((s) => typeof s === 'object')).toBe(false);
  });

  it('namespaces taken away one after another: each relist that leaves one out is progress, not a retry', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list({ a: '1', b: '1', c: '1', d: '1' }, [{ a: '2', c: '2', d: '2' }, { a: '3', d: '3' }, { a: '4' }]);
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    for (const gone of ['b', 'c', 'd']) {
      const id = `s1.${vms.state.relists + 1}`;
      p.streams[0]!.push({ type: 'ERROR', sub: id, scope: gone, error: { code: 'gone', message: `You no longer work in namespace ${gone}.` }, final: true });
      await tick(20);
    }
    expect(vms.state.relists).toBe(3);
    expect(p.subscribes().at(-1)).toMatchObject({ op: 'subscribe', rv: { a: '4' } });
    expect(vms.state.statuses.some((s) => typeof s === 'object')).toBe(false);
  });

  it('two namespaces gone at once: one relist runs, the second follows it, never two side by side', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    let inFlight = 0;
    let most = 0;
    const vms = list({ a: '1', b: '1', c: '1' });
    const relist = vms.h.relist;
    vms.h.relist = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 10));
      await relist();
      inFlight--;
    };
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    for (const gone of ['b', 'c']) p.streams[0]!.push({ type: 'ERROR', sub: 's1.1', scope: gone, error: { code: 'gone', message: 'gone' }, final: true });
    await tick(50);
    expect(most).toBe(1);
    expect(vms.state.relists).toBe(2);
    expect(p.subscribes().at(-1)).toMatchObject({ op: 'subscribe', rv: { a: '100' } });
  });
  it('a refused stream (429) is shown as retrying, and the client tries again', async () => {
    const p = portal();
    p.refuseWith(new Response(JSON.stringify({ error: { code: 'too_many_requests', message: 'too many streams' } }), { status: 429 }));
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    expect(vms.state.statuses).toContainEqual({ error: { code: 'too_many_requests', message: 'too many streams', retrying: true } });
    p.refuseWith(undefined);
    await tick(20);
    expect(p.streams).toHaveLength(1);
    expect(p.subscribes()).toHaveLength(1);
  });

  it('unsubscribes on the same stream, and closes the stream once no list is left', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const a = list();
    const b = list();
    const offA = c.subscribe({ resource: 'virtualmachines' }, a.h);
    const offB = c.subscribe({ resource: 'events' }, b.h);
    await tick();
    offA();
    await tick();
    expect(p.posts.at(-1)!.ops).toEqual([{ op: 'unsubscribe', id: 's1.1' }]);
    offB();
    await tick(80);
    // Events after the stream was closed reach nobody; a new list opens a new stream.
    c.subscribe({ resource: 'virtualmachines' }, list().h);
    await tick();
    expect(p.streams).toHaveLength(2);
  });

  it('behind a balancer: a subscription request that meets a replica without the stream reopens it with every list', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list({ a: '3' });
    const events = list({ a: '4' });
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    p.lose(true);
    c.subscribe({ resource: 'events' }, events.h);
    await tick();
    p.lose(false);
    await tick(20);
    expect(p.streams).toHaveLength(2);
    expect(p.opens[1]!.map((o) => [o.resource, o.rv])).toEqual([
      ['virtualmachines', { a: '3' }],
      ['events', { a: '4' }],
    ]);
    expect(p.posts).toHaveLength(1); // the lost one; the new stream needed none
    p.streams[1]!.push({ type: 'LIVE', sub: 's1.2' });
    p.streams[1]!.push({ type: 'LIVE', sub: 's2.2' });
    await tick();
    expect(vms.state.statuses.at(-1)).toBe('live');
    expect(events.state.statuses.at(-1)).toBe('live');
  });

  it('a list given up while its stream was opening is unsubscribed once the stream answers', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const off = c.subscribe({ resource: 'virtualmachines' }, list().h);
    c.subscribe({ resource: 'events' }, list().h);
    off();
    await tick();
    expect(p.opens[0]!.map((o) => o.id)).toEqual(['s1.1']);
    expect(p.posts.flatMap((b) => b.ops)).toEqual([
      { op: 'unsubscribe', id: 's1.1' },
      { op: 'subscribe', id: 's2.1', resource: 'events', namespaces: [], rv: { a: '1' } },
    ]);
  });

  it('gives its stream up once the tab has been hidden for the grace, and when shown takes it again from the versions held', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list({ a: '1' });
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    p.streams[0]!.push({ type: 'LIVE', sub: 's1.1' });
    p.streams[0]!.push({ type: 'ADDED', sub: 's1.1', scope: 'a', object: obj('x', '5') });
    await tick();
    c.setVisible(false);
    await tick(90);
    expect(p.signals[0]!.aborted).toBe(false);
    await tick(20);
    expect(p.signals[0]!.aborted).toBe(true);
    expect(vms.state.statuses.at(-1)).toBe('reconnecting');
    // Hidden, it stays closed: no reopening behind the user's back.
    await tick(1000);
    expect(p.streams).toHaveLength(1);
    c.setVisible(true);
    await tick();
    expect(p.opens[1]).toEqual([{ op: 'subscribe', id: 's1.2', resource: 'virtualmachines', namespaces: [], rv: { a: '5' } }]);
    p.streams[1]!.push({ type: 'LIVE', sub: 's1.2' });
    await tick();
    expect(vms.state.statuses.at(-1)).toBe('live');
  });

  it('keeps its stream when the tab is shown again within the grace, and does not open one while paused', async () => {
    const p = portal();
    const c = new LiveStreamClient(p.deps);
    const vms = list();
    c.subscribe({ resource: 'virtualmachines' }, vms.h);
    await tick();
    c.setVisible(false);
    await tick(60);
    c.setVisible(true);
    await tick(200);
    expect(p.signals[0]!.aborted).toBe(false);
    expect(p.streams).toHaveLength(1);
    // Hidden past the grace, a list made then (a page changed in the background) waits for the tab to be shown.
    c.setVisible(false);
    await tick(110);
    const later = list({ a: '7' });
    c.subscribe({ resource: 'virtualmachineinstances' }, later.h);
    await tick(500);
    expect(p.streams).toHaveLength(1);
    c.setVisible(true);
    await tick();
    expect(p.streams).toHaveLength(2);
    expect(p.opens[1]!.map((o) => o.op === 'subscribe' && o.rv)).toEqual([{ a: '1' }, { a: '7' }]);
  });
});
