import { describe, expect, it } from 'vitest';
import { fleetVmSettled } from './kube.ts';

const vm = (status: object | undefined, volumes = 2) => ({ spec: { template: { spec: { volumes: Array.from({ length: volumes }, (_, i) => ({ name: `v${i}` })) } } }, status });
const statuses = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `v${i}`, enabled: false }));

describe('fleetVmSettled', () => {
  it('waits for both of the simulator\'s writes: Stopped, and a snapshot status for every volume', () => {
    expect(fleetVmSettled(vm(undefined))).toBe(false);
    expect(fleetVmSettled(vm({ printableStatus: 'Stopped' }))).toBe(false);
    expect(fleetVmSettled(vm({ volumeSnapshotStatuses: statuses(2) }))).toBe(false);
    expect(fleetVmSettled(vm({ printableStatus: 'Provisioning', volumeSnapshotStatuses: statuses(2) }))).toBe(false);
    expect(fleetVmSettled(vm({ printableStatus: 'Stopped', volumeSnapshotStatuses: statuses(2) }))).toBe(true);
  });

  it('needs no snapshot statuses for a VM without volumes', () => {
    expect(fleetVmSettled(vm({ printableStatus: 'Stopped' }, 0))).toBe(true);
  });
});
