import { describe, expect, it } from 'vitest';
import { Store } from './queue.ts';

type Obj = { metadata: { name: string; namespace?: string; resourceVersion?: string }; phase?: string };
const obj = (rv: string | undefined, phase: string, name = 'm'): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: rv }, phase });

describe('Store', () => {
  it('keeps a newer copy put in by a write when the watch delivers the older one after it', () => {
    const s = new Store<Obj>();
    s.apply('ADDED', obj('10', 'Pending'));
    s.apply('MODIFIED', obj('12', 'Scheduling')); // what the controller's own PATCH returned
    s.apply('MODIFIED', obj('11', 'Pending')); // the watch, late
    expect(s.get('ns/m')?.phase).toBe('Scheduling');
    s.apply('MODIFIED', obj('12', 'Scheduling'));
    s.apply('MODIFIED', obj('13', 'Scheduled'));
    expect(s.get('ns/m')?.phase).toBe('Scheduled');
  });

  it('does not bring back a deleted object from a write answered before the deletion', () => {
    const s = new Store<Obj>();
    s.apply('ADDED', obj('10', 'Running'));
    s.apply('DELETED', obj('15', 'Running'));
    s.apply('MODIFIED', obj('14', 'Failed'));
    expect(s.get('ns/m')).toBeUndefined();
    expect(s.list()).toEqual([]);
  });

  it('takes an object created again under the same name', () => {
    const s = new Store<Obj>();
    s.apply('ADDED', obj('10', 'Running'));
    s.apply('DELETED', obj('15', 'Running'));
    s.apply('ADDED', obj('20', 'Pending'));
    expect(s.get('ns/m')?.phase).toBe('Pending');
  });

  it('takes every copy when objects carry no resourceVersion', () => {
    const s = new Store<Obj>();
    s.apply('ADDED', obj(undefined, 'a'));
    s.apply('MODIFIED', obj(undefined, 'b'));
    expect(s.get('ns/m')?.phase).toBe('b');
    s.apply('DELETED', obj(undefined, 'b'));
    s.apply('ADDED', obj(undefined, 'c'));
    expect(s.get('ns/m')?.phase).toBe('c');
  });

  it('is synced after SYNCED', () => {
    const s = new Store<Obj>();
    expect(s.synced).toBe(false);
    s.apply('SYNCED', undefined);
    expect(s.synced).toBe(true);
  });
});
