import { describe, expect, it } from 'vitest';
import { accessKey, VM_ACTIONS, type AccessAnswer } from './actions';
import { splitForBulk } from './bulk';
import { joinRows } from './rows';
import type { VirtualMachine, VirtualMachineInstance } from './types';

const vm = (ns: string, name: string, status: string): VirtualMachine => ({
  metadata: { namespace: ns, name },
  spec: { runStrategy: status === 'Running' ? 'Always' : 'Halted', template: { spec: { domain: { devices: {} } } } as never },
  status: { printableStatus: status },
});
const vmi = (ns: string, name: string): VirtualMachineInstance => ({ metadata: { namespace: ns, name }, spec: { domain: { devices: {} } } as never, status: { phase: 'Running' } });

const rows = joinRows([vm('a', 'stopped', 'Stopped'), vm('a', 'running', 'Running'), vm('b', 'other', 'Stopped'), vm('c', 'failed', 'Stopped')], [vmi('a', 'running')]);
const names = (rs: { name: string }[]) => rs.map((r) => r.name);

describe('splitForBulk', () => {
  const answers = (a: Record<string, AccessAnswer>) => (key: string) => a[key.split('|')[0]!];

  it('keeps VMs whose review has not answered apart from the refused and the not applicable', () => {
    const split = splitForBulk(rows, VM_ACTIONS.start, answers({ a: true, b: undefined, c: { failed: new Error('502') } }));
    expect(names(split.targets)).toEqual(['stopped']);
    // Running: Start does not apply. Failed review: skipped with the others, never taken as allowed.
    expect(names(split.skipped).sort()).toEqual(['failed', 'running']);
    expect(names(split.checking)).toEqual(['other']);
  });

  it('asks the namespace of each VM for the action\'s own access', () => {
    const asked: string[] = [];
    splitForBulk(rows, VM_ACTIONS.delete, (key) => (asked.push(key), false));
    expect(new Set(asked)).toEqual(new Set(['a', 'b', 'c'].map((ns) => accessKey(ns, VM_ACTIONS.delete.access))));
  });

  it('once every review has answered, nothing is left checking', () => {
    const split = splitForBulk(rows, VM_ACTIONS.delete, answers({ a: true, b: false, c: true }));
    expect(split.checking).toEqual([]);
    expect(names(split.targets).sort()).toEqual(['failed', 'running', 'stopped']);
    expect(names(split.skipped)).toEqual(['other']);
  });
});
