import { describe, expect, it } from 'vitest';
import { narrowEvent, planScopes, rvFitsPlan } from './scope-plan';

const inputs = (clusterWide: boolean, workable = ['a', 'b', 'c']) => {
  const calls = { review: 0, workable: 0 };
  return {
    calls,
    mayWatchClusterWide: async () => (calls.review++, clusterWide),
    workableNamespaces: async () => (calls.workable++, workable),
  };
};

describe('scope plans', () => {
  it('one namespace is one namespaced scope, without asking anything', async () => {
    const i = inputs(true);
    expect(await planScopes(['a'], i)).toEqual({ scopes: ['a'] });
    expect(i.calls).toEqual({ review: 0, workable: 0 });
  });

  it('a user who may watch cluster-wide gets one cluster-wide socket, narrowed to the namespaces asked for', async () => {
    expect(await planScopes(['a', 'b'], inputs(true))).toEqual({ scopes: [''], only: ['a', 'b'] });
    expect(await planScopes([], inputs(true))).toEqual({ scopes: [''] });
  });

  it('anyone else gets one scope per namespace: the ones asked for, or the ones they may work in', async () => {
    expect(await planScopes(['a', 'b'], inputs(false))).toEqual({ scopes: ['a', 'b'] });
    const i = inputs(false, ['x', 'y']);
    expect(await planScopes([], i)).toEqual({ scopes: ['x', 'y'] });
    expect(i.calls.workable).toBe(1);
  });

  it('versions must name exactly the planned scopes', () => {
    const plan = { scopes: ['a', 'b'] };
    expect(rvFitsPlan(plan, {})).toBe(true);
    expect(rvFitsPlan(plan, { a: '1', b: '2' })).toBe(true);
    expect(rvFitsPlan(plan, { a: '1' })).toBe(false);
    expect(rvFitsPlan(plan, { a: '1', c: '2' })).toBe(false);
    expect(rvFitsPlan({ scopes: [''], only: ['a', 'b'] }, { a: '1', b: '2' })).toBe(false);
    expect(rvFitsPlan({ scopes: [''], only: ['a', 'b'] }, { '': '9' })).toBe(true);
  });

  it('narrows cluster-wide events to the namespaces asked for', () => {
    const only = new Set(['a']);
    const o = (ns: string) => ({ metadata: { namespace: ns, name: 'x' } });
    expect(narrowEvent({ type: 'ADDED', scope: '', object: o('a') }, only)).toBeDefined();
    expect(narrowEvent({ type: 'DELETED', scope: '', object: o('b') }, only)).toBeUndefined();
    expect(narrowEvent({ type: 'RELIST', scope: '', items: [o('a'), o('b')], resourceVersion: '3' }, only)).toEqual({ type: 'RELIST', scope: '', items: [o('a')], resourceVersion: '3' });
    expect(narrowEvent({ type: 'BOOKMARK', scope: '', resourceVersion: '4' }, only)).toEqual({ type: 'BOOKMARK', scope: '', resourceVersion: '4' });
    const ev = { type: 'ADDED' as const, scope: 'b', object: o('b') };
    expect(narrowEvent(ev, undefined)).toBe(ev);
  });
});
