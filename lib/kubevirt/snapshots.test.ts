import { describe, expect, it } from 'vitest';
import { en } from '../../messages/en';
import { VM_ACTIONS } from './actions';
import {
  buildClone,
  buildRestore,
  buildSnapshot,
  cloneObjectName,
  cloneView,
  cloneWarnings,
  clonesOfVm,
  defaultCloneTarget,
  defaultSnapshotName,
  exclusionOf,
  indicationsOf,
  needsStopForRestore,
  newVmPatches,
  restoreObjectName,
  restorePlan,
  restoresOfVm,
  restoreView,
  SNAPSHOT_ACCESS,
  SNAPSHOT_OPS,
  snapshotsOfVm,
  snapshotView,
  totalBytes,
  usable,
  volumeSnapshotPlan,
} from './snapshots';
import { cloneRequest, restoreRequest, takeSnapshotRequest } from './snapshot-requests';
import type { VirtualMachine, VirtualMachineClone, VirtualMachineRestore, VirtualMachineSnapshot } from './types';

// What the sandbox's simulator writes (sandbox/simulator/controller/snapshot-controller.ts, clone-controller.ts)
// and KubeVirt 1.4-1.6 documents (API-REFERENCE.md §6), read back.

const NO_CLASS = 'No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass [sandbox-local] [scratch]';
const vm = (status: VirtualMachine['status'] = {}, extra: object = {}): VirtualMachine => ({
  metadata: { name: 'vm-1', namespace: 'team-a' },
  spec: {
    runStrategy: 'Always',
    template: {
      spec: {
        domain: { devices: { disks: [] } },
        volumes: [
          { name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } },
          { name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config' } },
          { name: 'datadisk', persistentVolumeClaim: { claimName: 'disk-shared' } },
          { name: 'scratch', persistentVolumeClaim: { claimName: 'disk-local' } },
          { name: 'rootdisk', dataVolume: { name: 'vm-1-rootdisk' } },
        ],
      },
    },
    ...extra,
  } as VirtualMachine['spec'],
  status,
});
const statuses = [
  { name: 'containerdisk', enabled: false, reason: 'Snapshot is not supported for this volumeSource type [containerdisk]' },
  { name: 'cloudinitdisk', enabled: false, reason: 'Snapshot is not supported for this volumeSource type [cloudinitdisk]' },
  { name: 'datadisk', enabled: true },
  { name: 'scratch', enabled: false, reason: NO_CLASS },
  { name: 'rootdisk', enabled: true },
];

const snap = (name: string, status?: object, extra: { source?: string; created?: string; annotations?: Record<string, string>; deleting?: boolean } = {}): VirtualMachineSnapshot => ({
  metadata: {
    name,
    namespace: 'team-a',
    uid: `uid-${name}`,
    creationTimestamp: extra.created ?? '2026-01-01T10:00:00Z',
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
    ...(extra.deleting ? { deletionTimestamp: '2026-01-01T11:00:00Z' } : {}),
  },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: extra.source ?? 'vm-1' } },
  ...(status ? { status } : {}),
});
const succeeded = {
  phase: 'Succeeded',
  readyToUse: true,
  creationTime: '2026-01-01T10:00:05Z',
  indications: ['Online', 'NoGuestAgent'],
  virtualMachineSnapshotContentName: 'vmsnapshot-content-uid-s1',
  conditions: [
    { type: 'Progressing', status: 'False', reason: 'Operation complete' },
    { type: 'Ready', status: 'True', reason: 'Ready' },
  ],
  snapshotVolumes: { includedVolumes: ['datadisk', 'rootdisk'], excludedVolumes: ['containerdisk', 'cloudinitdisk', 'scratch'] },
};

describe('declared operations', () => {
  it('each asks the access review of what it creates or deletes', () => {
    expect(SNAPSHOT_OPS.takeSnapshot.access).toEqual({ verb: 'create', group: 'snapshot.kubevirt.io', resource: 'virtualmachinesnapshots' });
    expect(SNAPSHOT_OPS.deleteSnapshot.access).toEqual({ verb: 'delete', group: 'snapshot.kubevirt.io', resource: 'virtualmachinesnapshots' });
    expect(SNAPSHOT_OPS.restore.access).toEqual({ verb: 'create', group: 'snapshot.kubevirt.io', resource: 'virtualmachinerestores' });
    expect(SNAPSHOT_OPS.clone.access).toEqual({ verb: 'create', group: 'clone.kubevirt.io', resource: 'virtualmachineclones' });
    expect(SNAPSHOT_ACCESS).toHaveLength(4);
    for (const op of Object.values(SNAPSHOT_OPS)) expect(en[op.labelKey]).toBeTruthy();
  });
});

describe('names', () => {
  const now = new Date('2026-01-02T10:15:00.123Z');
  it('a snapshot name says whose it is and when, and stays a DNS-1123 label', () => {
    expect(defaultSnapshotName('vm-1', now)).toBe('vm-1-snapshot-20260102-101500');
    const long = defaultSnapshotName(`${'a'.repeat(30)}-${'b'.repeat(30)}`, now);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(takeSnapshotRequest.safeParse({ name: long }).success).toBe(true);
    // A cut that would end in a hyphen drops it.
    expect(defaultSnapshotName(`${'a'.repeat(37)}-xyz`, now)).toBe(`${'a'.repeat(37)}-snapshot-20260102-101500`);
  });
  it('restore, clone and clone-target names stay labels too', () => {
    expect(restoreObjectName('vm-1', now)).toBe('vm-1-restore-20260102-101500');
    expect(cloneObjectName('copy', 'ab12c')).toBe('copy-clone-ab12c');
    expect(defaultCloneTarget('vm-1')).toBe('vm-1-clone');
    for (const n of [restoreObjectName('x'.repeat(63), now), cloneObjectName('x'.repeat(63), 'ab12c'), defaultCloneTarget('x'.repeat(63))]) expect(n.length).toBeLessThanOrEqual(63);
  });
});

describe('builders', () => {
  it('a snapshot of the VM, with the description as an annotation and the deadline as a duration', () => {
    expect(buildSnapshot({ namespace: 'team-a', vm: 'vm-1', name: 's1', description: '  before the upgrade ', failureDeadlineMinutes: 10 })).toEqual({
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshot',
      metadata: { name: 's1', namespace: 'team-a', annotations: { description: 'before the upgrade' } },
      spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, failureDeadline: '10m' },
    });
    expect(buildSnapshot({ namespace: 'team-a', vm: 'vm-1', name: 's1', description: '  ' })).toEqual({
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshot',
      metadata: { name: 's1', namespace: 'team-a' },
      spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' } },
    });
  });

  it('a restore in place after the portal stopped the VM waits for the stop, and says the portal stopped it', () => {
    expect(buildRestore({ namespace: 'team-a', name: 'r1', snapshot: 's1', target: 'vm-1', stoppedByPortal: true })).toEqual({
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineRestore',
      metadata: { name: 'r1', namespace: 'team-a', annotations: { 'kubevirt-portal/stopped-for-restore': 'true' } },
      spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, virtualMachineSnapshotName: 's1', targetReadinessPolicy: 'WaitEventually' },
    });
    expect(buildRestore({ namespace: 'team-a', name: 'r2', snapshot: 's1', target: 'vm-2', patches: ['{"op":"remove","path":"/x"}'] }).spec).toEqual({
      target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-2' },
      virtualMachineSnapshotName: 's1',
      patches: ['{"op":"remove","path":"/x"}'],
    });
  });

  it('a new VM from a restore loses the fixed MAC addresses and firmware identity of the source', () => {
    const spec = {
      template: {
        spec: {
          domain: {
            devices: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'blue', bridge: {}, macAddress: '02:00:00:00:00:01' }] },
            firmware: { uuid: '5d307ca9-b3ef-428c-8861-06e72d69f223', serial: 'abc' },
          },
        },
      },
    };
    expect(newVmPatches(spec).map((p) => JSON.parse(p))).toEqual([
      { op: 'remove', path: '/spec/template/spec/domain/devices/interfaces/1/macAddress' },
      { op: 'remove', path: '/spec/template/spec/domain/firmware/uuid' },
      { op: 'remove', path: '/spec/template/spec/domain/firmware/serial' },
    ]);
    expect(newVmPatches(undefined)).toEqual([]);
    expect(newVmPatches({ template: { spec: { domain: { devices: { interfaces: [{}] } } } } })).toEqual([]);
  });

  it('a clone from the VM or from one of its snapshots, to a named VM, leaving MACs and serial to KubeVirt', () => {
    expect(buildClone({ namespace: 'team-a', name: 'c1', vm: 'vm-1', target: 'copy' })).toEqual({
      apiVersion: 'clone.kubevirt.io/v1beta1',
      kind: 'VirtualMachineClone',
      metadata: { name: 'c1', namespace: 'team-a' },
      spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' } },
    });
    expect(buildClone({ namespace: 'team-a', name: 'c1', vm: 'vm-1', snapshot: 's1', target: 'copy' }).spec.source).toEqual({ apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 's1' });
  });
});

describe('request bodies', () => {
  it('refuse names that are not Kubernetes names, unknown fields and out-of-range deadlines', () => {
    expect(takeSnapshotRequest.safeParse({ name: 'S1' }).success).toBe(false);
    expect(takeSnapshotRequest.safeParse({ name: 's1', extra: 1 }).success).toBe(false);
    expect(takeSnapshotRequest.safeParse({ name: 's1', failureDeadlineMinutes: 0 }).success).toBe(false);
    expect(takeSnapshotRequest.safeParse({ name: 's1', failureDeadlineMinutes: 1.5 }).success).toBe(false);
    expect(takeSnapshotRequest.safeParse({ name: 's1', description: 'x'.repeat(1001) }).success).toBe(false);
    expect(restoreRequest.parse({ snapshot: 's1' })).toEqual({ snapshot: 's1', stopFirst: false });
    // A VM's name is a DNS-1123 label: no dots, at most 63.
    expect(restoreRequest.safeParse({ snapshot: 's1', target: 'a.b' }).success).toBe(false);
    expect(cloneRequest.safeParse({ target: 'x'.repeat(64) }).success).toBe(false);
    expect(cloneRequest.safeParse({ target: 'copy', snapshot: '../x' }).success).toBe(false);
  });
});

describe('volumes in a snapshot', () => {
  it('reads KubeVirt\'s reasons into plain words', () => {
    const v = vm({ volumeSnapshotStatuses: statuses });
    expect(exclusionOf('scratch', NO_CLASS, v)).toEqual({ volume: 'scratch', key: 'snapshot.excluded.noClass', vars: { volume: 'scratch', storageClass: 'sandbox-local' }, kubevirtReason: NO_CLASS, claim: true });
    expect(exclusionOf('containerdisk', statuses[0]!.reason, v)).toMatchObject({ key: 'snapshot.excluded.volumeSource', vars: { volume: 'containerdisk', kind: 'containerDisk' }, claim: false });
    expect(exclusionOf('cloudinitdisk', statuses[1]!.reason, v).vars.kind).toBe('cloudInitNoCloud');
    expect(exclusionOf('datadisk', 'PVC not found', v)).toMatchObject({ key: 'snapshot.excluded.pvcNotFound', vars: { claim: 'disk-shared' } });
    expect(exclusionOf('rootdisk', '2 matching VolumeSnapshotClasses for fast', v)).toMatchObject({ key: 'snapshot.excluded.manyClasses', vars: { count: '2', storageClass: 'fast' } });
    expect(exclusionOf('x', 'something new', v)).toMatchObject({ key: 'snapshot.excluded.other', kubevirtReason: 'something new' });
    expect(exclusionOf('x', undefined, v)).toMatchObject({ key: 'snapshot.excluded.noReason' });
    for (const k of ['snapshot.excluded.noClass', 'snapshot.excluded.volumeSource', 'snapshot.excluded.pvcNotFound', 'snapshot.excluded.manyClasses', 'snapshot.excluded.other'] as const) expect(en[k]).toContain('{volume}');
  });

  it('before a snapshot: what KubeVirt reports on the VM', () => {
    const plan = volumeSnapshotPlan(vm({ volumeSnapshotStatuses: statuses }));
    expect(plan.reported).toBe(true);
    expect(plan.included).toEqual(['datadisk', 'rootdisk']);
    expect(plan.excluded.map((x) => [x.volume, x.key])).toEqual([
      ['containerdisk', 'snapshot.excluded.volumeSource'],
      ['cloudinitdisk', 'snapshot.excluded.volumeSource'],
      ['scratch', 'snapshot.excluded.noClass'],
    ]);
    expect(plan.unknown).toEqual([]);
  });

  it('before KubeVirt has reported: the kinds never snapshotted are known, claims are not guessed', () => {
    const plan = volumeSnapshotPlan(vm());
    expect(plan).toMatchObject({ reported: false, included: [], unknown: ['datadisk', 'scratch', 'rootdisk'] });
    expect(plan.excluded.map((x) => x.volume)).toEqual(['containerdisk', 'cloudinitdisk']);
    expect(plan.excluded.every((x) => !x.kubevirtReason)).toBe(true);
  });

  it('a clone warns about claims it cannot copy, not about container disks or cloud-init', () => {
    expect(cloneWarnings(vm({ volumeSnapshotStatuses: statuses })).map((x) => x.volume)).toEqual(['scratch']);
  });
});

describe('a snapshot, read', () => {
  it('succeeded: ready, taken at creationTime, its volumes and indications in words', () => {
    const v = snapshotView(snap('s1', succeeded, { annotations: { description: 'before upgrade' } }));
    expect(v).toMatchObject({ name: 's1', phase: 'Succeeded', readyToUse: true, created: '2026-01-01T10:00:05Z', description: 'before upgrade', deleting: false, contentName: 'vmsnapshot-content-uid-s1' });
    expect(v.volumes).toEqual({ included: ['datadisk', 'rootdisk'], excluded: ['containerdisk', 'cloudinitdisk', 'scratch'] });
    expect(v.indications).toEqual([
      { name: 'Online', key: 'snapshot.indication.online' },
      { name: 'NoGuestAgent', key: 'snapshot.indication.noGuestAgent' },
    ]);
    expect(usable(v)).toBe(true);
  });

  it('of a stopped VM: "offline" (no Online), once it has succeeded', () => {
    expect(indicationsOf(snap('s1', { ...succeeded, indications: [] }))).toEqual([{ key: 'snapshot.indication.offline' }]);
    expect(indicationsOf(snap('s1', { phase: 'InProgress', indications: [] }))).toEqual([]);
    expect(indicationsOf(snap('s1', { ...succeeded, indications: ['Online', 'GuestAgent', 'QuiesceFailed', 'Future'] })).map((i) => i.key)).toEqual([
      'snapshot.indication.online',
      'snapshot.indication.guestAgent',
      'snapshot.indication.quiesceFailed',
      'snapshot.indication.other',
    ]);
  });

  it('in progress and failed: what KubeVirt says it waits for, or why it failed', () => {
    expect(snapshotView(snap('s1'))).toMatchObject({ phase: 'InProgress', readyToUse: false });
    const waiting = snapshotView(snap('s1', { phase: 'InProgress', readyToUse: false, conditions: [{ type: 'Progressing', status: 'True', reason: 'Source locked and operation in progress' }] }));
    expect(waiting).toMatchObject({ phase: 'InProgress', detail: 'Source locked and operation in progress' });
    expect(usable(waiting)).toBe(false);
    const failed = snapshotView(snap('s1', { phase: 'Failed', readyToUse: false, conditions: [{ type: 'Failure', status: 'True', reason: 'snapshot deadline exceeded' }, { type: 'Progressing', status: 'False', reason: 'Operation failed' }] }));
    expect(failed).toMatchObject({ phase: 'Failed', detail: 'snapshot deadline exceeded' });
    expect(snapshotView(snap('s1', { phase: 'Failed', error: { message: 'VolumeSnapshot failed' } })).detail).toBe('VolumeSnapshot failed');
    expect(snapshotView(snap('s1', { phase: 'Bogus' })).phase).toBe('Unknown');
  });

  it('being deleted: not usable', () => {
    const v = snapshotView(snap('s1', succeeded, { deleting: true }));
    expect(v).toMatchObject({ phase: 'Deleting', deleting: true });
    expect(usable(v)).toBe(false);
  });

  it('the VM\'s own snapshots, newest first', () => {
    const all = [snap('a', undefined, { created: '2026-01-01T09:00:00Z' }), snap('b', undefined, { created: '2026-01-01T11:00:00Z' }), snap('c', undefined, { source: 'vm-2' })];
    expect(snapshotsOfVm(all, 'vm-1').map((s) => s.metadata?.name)).toEqual(['b', 'a']);
  });

  it('sizes add up only when every disk\'s is known', () => {
    expect(totalBytes([{ volume: 'a', bytes: 1024 }, { volume: 'b', bytes: 2048 }])).toBe(3072);
    expect(totalBytes([{ volume: 'a', bytes: 1024 }, { volume: 'b' }])).toBeUndefined();
    expect(totalBytes([])).toBeUndefined();
  });
});

describe('restore', () => {
  it('a VM needs stopping while it runs, starts, or still has an instance', () => {
    expect(needsStopForRestore(vm({ printableStatus: 'Stopped' }))).toBe(false);
    expect(needsStopForRestore(vm({ printableStatus: 'Running', created: true }))).toBe(true);
    expect(needsStopForRestore(vm({ printableStatus: 'Stopping' }))).toBe(true);
    expect(needsStopForRestore(vm({ printableStatus: 'Stopped' }), { metadata: { name: 'vm-1' }, spec: { domain: { devices: {} } } })).toBe(true);
  });

  it('says which disks are replaced (with their claims now) and which are kept', () => {
    const plan = restorePlan(vm(), snapshotView(snap('s1', succeeded)));
    expect(plan.replaced).toEqual([
      { volume: 'datadisk', claim: 'disk-shared' },
      { volume: 'rootdisk', claim: 'vm-1-rootdisk' },
    ]);
    expect(plan.kept).toEqual(['containerdisk', 'cloudinitdisk', 'scratch']);
  });

  const restore = (status?: object, extra: { target?: string; annotations?: Record<string, string> } = {}): VirtualMachineRestore => ({
    metadata: { name: 'r1', namespace: 'team-a', creationTimestamp: '2026-01-01T12:00:00Z', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: extra.target ?? 'vm-1' }, virtualMachineSnapshotName: 's1' },
    ...(status ? { status } : {}),
  });
  const cond = (reason: string) => ({ complete: false, conditions: [{ type: 'Progressing', status: 'True', reason }, { type: 'Ready', status: 'False', reason: 'Not ready' }] });

  it('progress from the conditions\' reasons, KubeVirt\'s and the sandbox\'s', () => {
    expect(restoreView(restore()).step).toBe('pending');
    expect(restoreView(restore(cond('Initializing VirtualMachineRestore'))).step).toBe('pending');
    expect(restoreView(restore(cond('Waiting for target to be ready'))).step).toBe('waitingForStop');
    expect(restoreView(restore(cond('Creating new PVCs'))).step).toBe('creatingClaims');
    expect(restoreView(restore(cond('Waiting for new PVCs'))).step).toBe('creatingClaims');
    expect(restoreView(restore(cond('Updating target spec'))).step).toBe('updatingVm');
    expect(restoreView(restore(cond('Waiting for target update'))).step).toBe('updatingVm');
    const odd = restoreView(restore(cond('Something else')));
    expect(odd).toMatchObject({ step: 'other', detail: 'Something else' });
  });

  it('complete, with the new claims; failed, with KubeVirt\'s reason', () => {
    const done = restoreView(
      restore(
        {
          complete: true,
          restoreTime: '2026-01-01T12:01:00Z',
          restores: [{ volumeName: 'datadisk', persistentVolumeClaim: 'restore-uid-datadisk', volumeSnapshotName: 'vs' }],
          conditions: [{ type: 'Progressing', status: 'False', reason: 'Operation complete' }, { type: 'Ready', status: 'True', reason: 'Operation complete' }],
        },
        { annotations: { 'kubevirt-portal/stopped-for-restore': 'true' } },
      ),
    );
    expect(done).toMatchObject({ step: 'complete', complete: true, failed: false, restoreTime: '2026-01-01T12:01:00Z', stoppedByPortal: true, claims: [{ volume: 'datadisk', claim: 'restore-uid-datadisk' }] });
    expect(done.detail).toBeUndefined();
    const failed = restoreView(restore({ complete: false, conditions: [{ type: 'Progressing', status: 'False', reason: 'VirtualMachineSnapshot s1 is not ready' }, { type: 'Failure', status: 'True', reason: 'VirtualMachineSnapshot s1 is not ready' }] }));
    expect(failed).toMatchObject({ step: 'failed', failed: true, detail: 'VirtualMachineSnapshot s1 is not ready', stoppedByPortal: false });
  });

  it('restores of the VM and of its snapshots to new VMs', () => {
    const other = { ...restore(undefined, { target: 'vm-2' }), spec: { target: { kind: 'VirtualMachine', name: 'vm-2' }, virtualMachineSnapshotName: 'not-ours' } };
    const fromOurs = { ...restore(undefined, { target: 'vm-3' }), metadata: { name: 'r3', creationTimestamp: '2026-01-01T13:00:00Z' } };
    expect(restoresOfVm([restore(), other, fromOurs], 'vm-1', new Set(['s1'])).map((r) => r.metadata?.name)).toEqual(['r3', 'r1']);
  });
});

describe('clone', () => {
  const clone = (phase?: string, extra: object = {}): VirtualMachineClone => ({
    metadata: { name: 'c1', namespace: 'team-a', creationTimestamp: '2026-01-01T12:00:00Z' },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' } },
    ...(phase !== undefined ? { status: { phase, ...extra } } : {}),
  });

  it('its phases as KubeVirt names them, every one with a sentence', () => {
    expect(cloneView(clone())).toMatchObject({ phase: 'Pending', target: 'copy', done: false, failed: false });
    for (const p of ['SnapshotInProgress', 'CreatingTargetVM', 'RestoreInProgress', 'Succeeded', 'Failed']) {
      expect(cloneView(clone(p)).phase).toBe(p);
      expect(en[`clone.phase.${p}` as keyof typeof en]).toBeTruthy();
    }
    expect(cloneView(clone('Succeeded'))).toMatchObject({ done: true });
    expect(cloneView(clone('Later'))).toMatchObject({ phase: 'Unknown' });
    expect(cloneView(clone('Failed', { targetName: 'other', conditions: [{ type: 'Ready', status: 'False', reason: 'Failed' }] }))).toMatchObject({ failed: true, target: 'other' });
    expect(cloneView(clone('Failed')).detail).toBeUndefined();
  });

  it('clones of the VM and of its snapshots', () => {
    const fromSnap = { ...clone(), metadata: { name: 'c2', creationTimestamp: '2026-01-01T13:00:00Z' }, spec: { source: { kind: 'VirtualMachineSnapshot', name: 's1' } } };
    const other = { ...clone(), metadata: { name: 'c3' }, spec: { source: { kind: 'VirtualMachine', name: 'vm-2' } } };
    expect(clonesOfVm([clone(), fromSnap, other] as VirtualMachineClone[], 'vm-1', new Set(['s1'])).map((c) => c.metadata?.name)).toEqual(['c2', 'c1']);
  });
});

describe('a restore around a running VM uses the VM actions\' own reviews', () => {
  it('stop and start', () => {
    expect(VM_ACTIONS.stop.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'stop' });
    expect(VM_ACTIONS.start.access.subresource).toBe('start');
  });
});
