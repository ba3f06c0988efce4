import { describe, expect, it } from 'vitest';
import { snapshotFromWire } from './wire';

describe('snapshotFromWire', () => {
  it('joins the scopes\' items and keeps each scope\'s resourceVersion', () => {
    const a = { metadata: { name: 'a', namespace: 'team-a' } };
    const b = { metadata: { name: 'b', namespace: 'team-b' } };
    expect(snapshotFromWire({ lists: { 'team-a': { items: [a], metadata: { resourceVersion: '10' } }, 'team-b': { items: [b], metadata: { resourceVersion: '12' } } } })).toEqual({
      items: [a, b],
      resourceVersions: { 'team-a': '10', 'team-b': '12' },
    });
  });

  it('reads an empty list (items null, as Go writes it) and the cluster-wide scope', () => {
    expect(snapshotFromWire({ lists: { '': { items: null, metadata: { resourceVersion: '7' } } } })).toEqual({ items: [], resourceVersions: { '': '7' } });
  });

  it('refuses a body that is not the list route\'s', () => {
    expect(() => snapshotFromWire({ items: [] } as never)).toThrow();
    expect(() => snapshotFromWire({ lists: { x: { items: [{ name: 'no metadata' }] } } } as never)).toThrow(/an item without metadata/);
  });
});
