import { describe, expect, it } from 'vitest';
import { KNOWN_STATUSES, statusDisplay, vmStatus } from './status';
import type { VirtualMachine } from './types';

const vm = (printableStatus?: string, deleting = false): VirtualMachine => ({
  metadata: { name: 'v', namespace: 'n', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { template: {} as never },
  ...(printableStatus ? { status: { printableStatus } } : {}),
});

describe('status derivation', () => {
  it('uses the API server’s printableStatus', () => {
    expect(vmStatus(vm('Running'))).toBe('Running');
    expect(vmStatus(vm('ErrorUnschedulable'))).toBe('ErrorUnschedulable');
  });

  it('shows Terminating as soon as the VM is being deleted, before the controller says so', () => {
    expect(vmStatus(vm('Running', true))).toBe('Terminating');
  });

  it('falls back to Unknown for a missing or future value', () => {
    expect(vmStatus(vm())).toBe('Unknown');
    expect(vmStatus(vm('SomethingNew'))).toBe('Unknown');
    expect(statusDisplay('SomethingNew')).toMatchObject({ status: 'Unknown', tone: 'unknown', icon: 'unknown' });
  });

  it('gives every known status a label key, a tone and an icon', () => {
    for (const s of KNOWN_STATUSES) {
      const d = statusDisplay(s);
      expect(d.labelKey).toBe(`status.${s}`);
      expect(d.tone).toBeTruthy();
      expect(d.icon).toBeTruthy();
    }
  });

  it('tells running, transitional, paused, stopped and failed states apart by tone and icon', () => {
    expect(statusDisplay('Running')).toMatchObject({ tone: 'ok', icon: 'running' });
    expect(statusDisplay('Starting')).toMatchObject({ tone: 'progress', icon: 'spinner' });
    expect(statusDisplay('Stopping')).toMatchObject({ tone: 'progress', icon: 'spinner' });
    expect(statusDisplay('Migrating')).toMatchObject({ tone: 'progress', icon: 'migrate' });
    expect(statusDisplay('Paused')).toMatchObject({ tone: 'paused', icon: 'pause' });
    expect(statusDisplay('Stopped')).toMatchObject({ tone: 'stopped', icon: 'stopped' });
    expect(statusDisplay('CrashLoopBackOff')).toMatchObject({ tone: 'error', icon: 'error' });
    expect(statusDisplay('ErrImagePull')).toMatchObject({ tone: 'error', icon: 'error' });
  });
});
