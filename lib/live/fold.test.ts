import { describe, expect, it } from 'vitest';
import { foldEvents, type ListSnapshot } from './fold';
import type { KubeObject } from '../shared/kube-object';
import type { StreamEvent } from '../shared/live-protocol';

const obj = (ns: string, name: string, rv: string, extra: Record<string, unknown> = {}): KubeObject & Record<string, unknown> => ({
  metadata: { namespace: ns, name, resourceVersion: rv },
  ...extra,
});

const base = (): ListSnapshot => ({ items: [obj('a', 'one', '10'), obj('a', 'two', '11'), obj('b', 'three', '12')], resourceVersions: { a: '11', b: '12' } });

describe('watch folding', () => {
  it('adds, modifies and deletes by namespace/name', () => {
    const events: StreamEvent[] = [
      { type: 'ADDED', scope: 'a', object: obj('a', 'four', '13') },
      { type: 'MODIFIED', scope: 'a', object: obj('a', 'one', '14', { status: 'Running' }) },
      { type: 'DELETED', scope: 'a', object: obj('a', 'two', '15') },
    ];
    const next = foldEvents(base(), events)!;
    expect(next.items.map((i) => i.metadata?.name)).toEqual(['one', 'three', 'four']);
    expect(next.items.find((i) => i.metadata?.name === 'one')).toMatchObject({ status: 'Running' });
    expect(next.resourceVersions).toEqual({ a: '15', b: '12' });
  });

  it('keeps the order of existing items when they change (rows do not jump)', () => {
    const next = foldEvents(base(), [{ type: 'MODIFIED', scope: 'a', object: obj('a', 'one', '20') }])!;
    expect(next.items.map((i) => i.metadata?.name)).toEqual(['one', 'two', 'three']);
  });

  it('replaces one scope on RELIST (after 410 Gone) and leaves the others alone', () => {
    const next = foldEvents(base(), [{ type: 'RELIST', scope: 'a', items: [obj('a', 'five', '30')], resourceVersion: '30' }])!;
    expect(next.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`).sort()).toEqual(['a/five', 'b/three']);
    expect(next.resourceVersions).toEqual({ a: '30', b: '12' });
  });

  it('a cluster-wide RELIST (scope "") replaces everything', () => {
    const next = foldEvents(base(), [{ type: 'RELIST', scope: '', items: [obj('c', 'x', '40')], resourceVersion: '40' }])!;
    expect(next.items.map((i) => i.metadata?.name)).toEqual(['x']);
  });

  it('bookmarks only move the resourceVersion, keeping the same items array', () => {
    const state = base();
    const next = foldEvents(state, [{ type: 'BOOKMARK', scope: 'b', resourceVersion: '99' }])!;
    expect(next.items).toBe(state.items);
    expect(next.resourceVersions.b).toBe('99');
  });

  it('never compares resourceVersions: the order of events is the truth', () => {
    // A version that sorts "lower" as a string or number still wins because it came later.
    const next = foldEvents(base(), [
      { type: 'MODIFIED', scope: 'a', object: obj('a', 'one', '9', { v: 'first' }) },
      { type: 'MODIFIED', scope: 'a', object: obj('a', 'one', '100000', { v: 'second' }) },
    ])!;
    expect(next.items[0]).toMatchObject({ v: 'second' });
    expect(next.resourceVersions.a).toBe('100000');
  });

  it('deleting an unknown object is harmless; errors change nothing; no state stays no state', () => {
    const state = base();
    const next = foldEvents(state, [
      { type: 'DELETED', scope: 'a', object: obj('a', 'ghost', '50') },
      { type: 'ERROR', scope: 'a', error: { code: 'upstream_error', message: 'x' } },
    ])!;
    expect(next.items).toBe(state.items);
    expect(foldEvents(undefined, [{ type: 'ADDED', scope: 'a', object: obj('a', 'x', '1') }])).toBeUndefined();
    expect(foldEvents(state, [])).toBe(state);
  });

  it('folds a burst of 10,000 events in one pass', () => {
    const events: StreamEvent[] = Array.from({ length: 10_000 }, (_, i) => ({ type: 'ADDED', scope: 'a', object: obj('a', `vm-${i}`, String(100 + i)) }));
    const t0 = performance.now();
    const next = foldEvents(base(), events)!;
    expect(next.items).toHaveLength(10_003);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
