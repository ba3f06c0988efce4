import { describe, expect, it, vi } from 'vitest';
import { UserCaps } from '../k8s/limits';
import { PortalError } from '../k8s/errors';
import { parseServerMessage, subscriptionsRequest, type SubscriptionOp } from '../shared/live-protocol';
import type { ScopePlan } from '../live/scope-plan';
import { LiveStream, type ApplyContext, type FollowArgs } from './live-stream';
import { sampleValue } from '../metrics/test-samples';

vi.mock('server-only', () => ({}));

const caps = () => new UserCaps({ streamsPerUser: 4, watchesPerUser: 3, watchesTotal: 100 });

function open(c = caps(), queueBytes = 1 << 20) {
  const closed: string[] = [];
  const stream = new LiveStream('alice', { caps: c, watchesPerUser: 3, queueBytes, lifetimeMs: 60_000, onClose: (_s, why) => closed.push(why) });
  const reader = stream.body().getReader();
  const decoder = new TextDecoder();
  let text = '';
  let pending: ReturnType<typeof reader.read> | undefined;
  const read = async () => {
    // Reads whatever is queued now (the stream has no end while open); a read still waiting is kept for next time.
    for (;;) {
      pending ??= reader.read();
      const r = await Promise.race([pending, new Promise<'idle'>((res) => setTimeout(() => res('idle'), 5))]);
      if (r === 'idle') break;
      pending = undefined;
      if (r.done) break;
      text += decoder.decode(r.value);
    }
    const messages = text
      .split('\n\n')
      .filter((f) => f.startsWith('data: '))
      .map((f) => parseServerMessage(f.slice(6))!);
    text = '';
    return messages;
  };
  return { stream, read, closed, caps: c };
}

// A fake API server: every scope's watch opens at once, and the test drives events through the captured args.
function context(plan: (namespaces: string[]) => ScopePlan) {
  const follows: FollowArgs[] = [];
  const ctx: ApplyContext = {
    plan: async (op) => plan(op.namespaces),
    follow: (args) =>
      new Promise<void>((resolve) => {
        follows.push(args);
        args.signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  };
  return { ctx, follows };
}

const ops = (...list: unknown[]): SubscriptionOp[] => subscriptionsRequest.parse({ streamId: 'AbCdEfGhIjKlMnOpQrStUv', ops: list }).ops;
const perNamespace = (ns: string[]): ScopePlan => ({ scopes: ns });

describe('LiveStream', () => {
  it('greets with its id, follows each scope of a subscription, and says LIVE once every scope is watched', async () => {
    const { stream, read } = open();
    const { ctx, follows } = context(perNamespace);
    expect(await read()).toEqual([{ type: 'HELLO', streamId: stream.id }]);
    const results = await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a', 'b'], rv: { a: '5', b: '7' } }), ctx);
    expect(results).toEqual([{ id: 's1', ok: true }]);
    expect(follows.map((f) => [f.scope, f.resourceVersion])).toEqual([
      ['a', '5'],
      ['b', '7'],
    ]);
    follows[0]!.onWatching();
    follows[0]!.emit({ type: 'ADDED', scope: 'a', object: { metadata: { namespace: 'a', name: 'x' } } });
    expect(await read()).toEqual([{ type: 'ADDED', sub: 's1', scope: 'a', object: { metadata: { namespace: 'a', name: 'x' } } }]);
    follows[1]!.onWatching();
    expect(await read()).toEqual([{ type: 'LIVE', sub: 's1' }]);
    // An error takes the subscription out of LIVE until its watch is open again.
    follows[1]!.emit({ type: 'ERROR', scope: 'b', error: { code: 'upstream_error', message: 'etcd' } });
    follows[1]!.onWatching();
    expect(await read()).toEqual([{ type: 'ERROR', sub: 's1', scope: 'b', error: { code: 'upstream_error', message: 'etcd' }, final: false }, { type: 'LIVE', sub: 's1' }]);
  });

  it('a stream opened with its subscriptions answers for them on the stream, after HELLO (RESULTS)', async () => {
    const { stream, read } = open();
    const { ctx } = context(perNamespace);
    const results = await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a'] }, { op: 'subscribe', id: 's2', resource: 'virtualmachines', namespaces: ['a'], rv: { b: '1' } }), ctx);
    stream.sendResults(results);
    const messages = await read();
    expect(messages[0]).toEqual({ type: 'HELLO', streamId: stream.id });
    expect(messages.at(-1)).toMatchObject({ type: 'RESULTS', results: [{ id: 's1', ok: true }, { id: 's2', ok: false, error: { code: 'gone' } }] });
  });

  it('refuses versions that are not those of the planned scopes (the browser lists again)', async () => {
    const { stream } = open();
    const { ctx, follows } = context(() => ({ scopes: [''], only: ['a', 'b'] }));
    const [r] = await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a', 'b'], rv: { a: '5', b: '7' } }), ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'gone' } });
    expect(follows).toHaveLength(0);
  });

  it('narrows a cluster-wide watch to the namespaces asked for', async () => {
    const { stream, read } = open();
    const { ctx, follows } = context(() => ({ scopes: [''], only: ['a'] }));
    await read();
    await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a', 'c'], rv: { '': '9' } }), ctx);
    expect(follows).toHaveLength(1);
    follows[0]!.emit({ type: 'ADDED', scope: '', object: { metadata: { namespace: 'b', name: 'other' } } });
    follows[0]!.emit({ type: 'ADDED', scope: '', object: { metadata: { namespace: 'a', name: 'mine' } } });
    expect((await read()).map((m) => m.type === 'ADDED' && m.object.metadata?.name)).toEqual(['mine']);
  });

  it('caps the watches of one user across subscriptions and frees them on unsubscribe', async () => {
    const { stream, caps: c } = open();
    const { ctx } = context(perNamespace);
    const [ok] = await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'events', namespaces: ['a', 'b'] }), ctx);
    expect(ok!.ok).toBe(true);
    const [refused] = await stream.apply(ops({ op: 'subscribe', id: 's2', resource: 'events', namespaces: ['c', 'd'] }), ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_requests' } });
    expect(c.usage('alice').watches).toBe(2);
    await stream.apply(ops({ op: 'unsubscribe', id: 's1' }), ctx);
    await new Promise((r) => setTimeout(r, 0));
    expect(c.usage('alice').watches).toBe(0);
    const [again] = await stream.apply(ops({ op: 'subscribe', id: 's2', resource: 'events', namespaces: ['c', 'd'] }), ctx);
    expect(again!.ok).toBe(true);
  });

  it('a refused plan (the API server said 403) answers for that subscription only', async () => {
    const { stream } = open();
    const ctx: ApplyContext = {
      plan: async (op) => {
        if (op.resource === 'events') throw new PortalError(403, 'forbidden', 'Not allowed to list events.');
        return { scopes: ['a'] };
      },
      follow: () => new Promise(() => {}),
    };
    const results = await stream.apply(ops({ op: 'subscribe', id: 'e', resource: 'events', namespaces: ['a'] }, { op: 'subscribe', id: 'v', resource: 'virtualmachines', namespaces: ['a'] }), ctx);
    expect(results).toEqual([
      { id: 'e', ok: false, error: { code: 'forbidden', message: 'Not allowed to list events.' } },
      { id: 'v', ok: true },
    ]);
  });

  it('a subscription with no scopes (no namespaces to work in) is LIVE at once', async () => {
    const { stream, read } = open();
    await read();
    await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines' }), context(() => ({ scopes: [] })).ctx);
    expect(await read()).toEqual([{ type: 'LIVE', sub: 's1' }]);
  });

  it('drops a stream whose reader is too slow: END with relist, every watch stopped, caps freed', async () => {
    const { stream, read, closed, caps: c } = open(caps(), 2000);
    const { ctx, follows } = context(perNamespace);
    await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a'] }), ctx);
    // Nobody reads: the queue fills up.
    for (let i = 0; i < 100; i++) follows[0]!.emit({ type: 'MODIFIED', scope: 'a', object: { metadata: { namespace: 'a', name: `vm-${i}` } } });
    expect(stream.isClosed).toBe(true);
    expect(closed).toEqual(['too_slow']);
    expect(follows[0]!.signal.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(c.usage('alice').watches).toBe(0);
    const messages = await read();
    expect(messages.at(-1)).toMatchObject({ type: 'END', relist: true, error: { code: 'too_slow' } });
    expect(messages.length).toBeLessThan(5);
  });

  it('close stops the watches and reports once', async () => {
    const { stream, closed } = open();
    const { ctx, follows } = context(perNamespace);
    await stream.apply(ops({ op: 'subscribe', id: 's1', resource: 'virtualmachines', namespaces: ['a'] }), ctx);
    stream.close();
    stream.close();
    expect(follows[0]!.signal.aborted).toBe(true);
    expect(closed).toEqual(['closed']);
    const [late] = await stream.apply(ops({ op: 'subscribe', id: 's2', resource: 'virtualmachines', namespaces: ['a'] }), ctx);
    expect(late).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('counts itself in portal_live_streams_open and its scopes in portal_live_watch_scopes while they are held', async () => {
    const streams = () => sampleValue('portal_live_streams_open');
    const scopes = (resource: string) => sampleValue('portal_live_watch_scopes', { resource });
    const [s0, vm0, ev0] = [await streams(), await scopes('virtualmachines'), await scopes('events')];
    const { stream } = open();
    const { ctx } = context(perNamespace);
    expect(await streams()).toBe(s0 + 1);
    await stream.apply(ops({ op: 'subscribe', id: 'v', resource: 'virtualmachines', namespaces: ['a', 'b'] }, { op: 'subscribe', id: 'e', resource: 'events', namespaces: ['a'] }), ctx);
    expect(await scopes('virtualmachines')).toBe(vm0 + 2);
    expect(await scopes('events')).toBe(ev0 + 1);
    await stream.apply(ops({ op: 'unsubscribe', id: 'e' }), ctx);
    await new Promise((r) => setTimeout(r, 0));
    expect(await scopes('events')).toBe(ev0);
    stream.close();
    stream.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(await scopes('virtualmachines')).toBe(vm0);
    expect(await streams()).toBe(s0);
  });
});
