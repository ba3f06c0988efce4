import { describe, expect, it } from 'vitest';
import { printableStatus } from './printable-status.ts';
import type { VM, VMI } from './types.ts';

const vm = (extra: Partial<VM> = {}): VM => ({ metadata: { name: 'v', namespace: 'n' }, spec: { runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } }, ...extra }) as VM;
const vmi = (phase: string, conditions: object[] = [], extra: Record<string, unknown> = {}): VMI =>
  ({ metadata: { name: 'v', namespace: 'n', uid: 'u1' }, status: { phase, conditions, ...extra } }) as unknown as VMI;
const ctx = { startExpected: true, stopExpected: false };

describe('printableStatus, in virt-controller precedence order', () => {
  it('Terminating beats everything', () => {
    expect(printableStatus(vm({ metadata: { name: 'v', deletionTimestamp: 'x' } } as Partial<VM>), vmi('Running'), ctx)).toBe('Terminating');
  });
  it('Stopping when a live VMI is expected to stop', () => {
    expect(printableStatus(vm(), vmi('Running'), { startExpected: false, stopExpected: true })).toBe('Stopping');
  });
  it('Migrating while a migration has started and not ended', () => {
    expect(printableStatus(vm(), vmi('Running', [], { migrationState: { startTimestamp: '2020-01-01T00:00:00Z' } }), ctx)).toBe('Migrating');
    expect(printableStatus(vm(), vmi('Running', [], { migrationState: { startTimestamp: '2020-01-01T00:00:00Z', endTimestamp: '2020-01-01T00:00:01Z' } }), ctx)).toBe('Running');
  });
  it('Paused over Running', () => {
    expect(printableStatus(vm(), vmi('Running', [{ type: 'Paused', status: 'True' }]), ctx)).toBe('Paused');
  });
  it('ErrorUnschedulable from the pod condition, ErrorPvcNotFound from Synchronized', () => {
    expect(printableStatus(vm(), vmi('Scheduling', [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }]), ctx)).toBe('ErrorUnschedulable');
    expect(printableStatus(vm(), vmi('Pending', [{ type: 'Synchronized', status: 'False', reason: 'FailedPvcNotFound' }]), ctx)).toBe('ErrorPvcNotFound');
  });
  it('Starting without a VMI when a start is expected, Stopped when not', () => {
    expect(printableStatus(vm(), undefined, ctx)).toBe('Starting');
    expect(printableStatus(vm(), undefined, { startExpected: false, stopExpected: false })).toBe('Stopped');
    expect(printableStatus(vm(), vmi('Succeeded'), { startExpected: false, stopExpected: false })).toBe('Stopped');
  });
  it('CrashLoopBackOff after failures with a restarting strategy and no live VMI', () => {
    const failing = vm({ status: { startFailure: { consecutiveFailCount: 2 } } } as Partial<VM>);
    expect(printableStatus(failing, vmi('Failed'), { startExpected: false, stopExpected: false })).toBe('CrashLoopBackOff');
  });
});
