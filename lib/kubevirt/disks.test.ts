import { describe, expect, it } from 'vitest';
import {
  addApplies,
  addDiskRequest,
  addVolumeOptions,
  attachableClaims,
  blankClaimName,
  blankDataVolume,
  checkExpansion,
  claimExpansionPatch,
  claimResize,
  DISK_ACCESS,
  DISK_OPERATIONS,
  expandApplies,
  expandDiskRequest,
  nextDiskName,
  operationState,
  removeApplies,
  storageBytes,
  takenDiskNames,
  vmDiskRows,
  type ClaimLike,
  type DiskRow,
} from './disks';
import type { AccessAttributes } from './actions';
import type { VirtualMachine, VirtualMachineInstance } from './types';

const vm = (extra: { volumes?: object[]; disks?: object[]; status?: object; meta?: object } = {}): VirtualMachine =>
  ({
    metadata: { name: 'web', namespace: 'team-a', uid: 'vm-uid', ...extra.meta },
    spec: {
      runStrategy: 'Always',
      template: {
        spec: {
          domain: {
            devices: {
              disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }, { name: 'cloudinitdisk', disk: { bus: 'virtio' } }, ...(extra.disks ?? [])],
            },
          },
          volumes: [
            { name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } },
            { name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config' } },
            ...(extra.volumes ?? []),
          ],
        },
      },
    },
    status: { printableStatus: 'Running', ...extra.status },
  }) as unknown as VirtualMachine;

const vmi = (volumes: object[], volumeStatus: object[], extra: object = {}): VirtualMachineInstance =>
  ({
    metadata: { name: 'web', namespace: 'team-a', uid: 'vmi-1' },
    spec: { domain: { devices: { disks: volumes.map((v) => ({ name: (v as { name: string }).name, disk: { bus: 'scsi' } })) } }, volumes },
    status: { phase: 'Running', volumeStatus },
    ...extra,
  }) as unknown as VirtualMachineInstance;

const claim = (name: string, extra: { request?: string; capacity?: string; phase?: string; cls?: string; conditions?: object[]; statuses?: object; mode?: string; deleting?: boolean } = {}): ClaimLike => ({
  metadata: { name, namespace: 'team-a', resourceVersion: '7', ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { storageClassName: extra.cls ?? 'sandbox-shared', accessModes: ['ReadWriteMany'], volumeMode: extra.mode ?? 'Filesystem', resources: { requests: { storage: extra.request ?? '1Gi' } } },
  status: {
    phase: extra.phase ?? 'Bound',
    accessModes: ['ReadWriteMany'],
    capacity: { storage: extra.capacity ?? extra.request ?? '1Gi' },
    ...(extra.conditions ? { conditions: extra.conditions as never } : {}),
    ...(extra.statuses ? { allocatedResourceStatuses: extra.statuses } : {}),
  },
});

const hot = (name: string, claimName: string) => ({ name, persistentVolumeClaim: { claimName, hotpluggable: true } });
const scsi = (name: string) => ({ name, disk: { bus: 'scsi' } });

describe('the declared disk operations', () => {
  it('ask the reviews KubeVirt and Kubernetes authorize them by', () => {
    expect(DISK_OPERATIONS.addBlank.access).toEqual([
      { verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'addvolume' },
      { verb: 'create', group: 'cdi.kubevirt.io', resource: 'datavolumes' },
    ]);
    expect(DISK_OPERATIONS.addClaim.access).toEqual([DISK_ACCESS.addVolume]);
    expect(DISK_OPERATIONS.remove.access).toEqual([{ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'removevolume' }]);
    expect(DISK_OPERATIONS.expand.access).toEqual([{ verb: 'patch', group: '', resource: 'persistentvolumeclaims' }]);
  });

  it('are disabled by the first review that refuses, with the verb and resource, then by the disk\'s state', () => {
    const refuse = (denied: AccessAttributes) => (a: AccessAttributes) => a !== denied;
    expect(operationState(DISK_OPERATIONS.addBlank, refuse(DISK_ACCESS.createDataVolume))).toEqual({
      enabled: false,
      reason: { key: 'reason.forbidden', verb: 'create', resource: 'datavolumes.cdi.kubevirt.io' },
    });
    expect(operationState(DISK_OPERATIONS.addBlank, refuse(DISK_ACCESS.addVolume))).toMatchObject({ reason: { key: 'reason.forbidden', verb: 'update', resource: 'virtualmachines/addvolume' } });
    expect(operationState(DISK_OPERATIONS.expand, refuse(DISK_ACCESS.patchClaim))).toMatchObject({ reason: { verb: 'patch', resource: 'persistentvolumeclaims' } });
    expect(operationState(DISK_OPERATIONS.remove, () => undefined)).toEqual({ enabled: false, reason: { key: 'reason.checking' } });
    expect(operationState(DISK_OPERATIONS.remove, () => ({ failed: 'boom' }))).toEqual({ enabled: false, reason: { key: 'reason.accessFailed', error: 'boom' } });
    expect(operationState(DISK_OPERATIONS.remove, () => true, { ok: false, reasonKey: 'disks.reason.notHotplugged' })).toEqual({ enabled: false, reason: { key: 'disks.reason.notHotplugged' } });
    expect(operationState(DISK_OPERATIONS.remove, () => true)).toEqual({ enabled: true });
  });
});

describe('requests', () => {
  it('a blank disk is a DataVolume owned by the VM (not as its controller), with only what the user chose', () => {
    expect(blankDataVolume({ namespace: 'team-a', vm: { name: 'web', uid: 'vm-uid' }, name: 'web-data', size: '1Gi' })).toEqual({
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: { name: 'web-data', namespace: 'team-a', ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'web', uid: 'vm-uid' }] },
      spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } },
    });
    const full = blankDataVolume({ namespace: 'team-a', vm: { name: 'web', uid: 'u' }, name: 'web-data', size: '2Gi', storageClass: 'sandbox-shared', accessMode: 'ReadWriteMany', volumeMode: 'Block' });
    expect(full.spec.storage).toEqual({ resources: { requests: { storage: '2Gi' } }, storageClassName: 'sandbox-shared', accessModes: ['ReadWriteMany'], volumeMode: 'Block' });
  });

  it('addvolume puts the disk on the SCSI bus, its volume hot-pluggable; a dry run says so', () => {
    expect(addVolumeOptions('data', { dataVolume: 'web-data' })).toEqual({
      name: 'data',
      disk: { name: 'data', disk: { bus: 'scsi' } },
      volumeSource: { dataVolume: { name: 'web-data', hotpluggable: true } },
    });
    expect(addVolumeOptions('data', { claim: 'shared' }, true)).toEqual({
      name: 'data',
      disk: { name: 'data', disk: { bus: 'scsi' } },
      volumeSource: { persistentVolumeClaim: { claimName: 'shared', hotpluggable: true } },
      dryRun: ['All'],
    });
  });

  it('an expansion is a merge patch of the requested size, on the version that was checked', () => {
    expect(claimExpansionPatch('2Gi', '7')).toEqual({ metadata: { resourceVersion: '7' }, spec: { resources: { requests: { storage: '2Gi' } } } });
    expect(claimExpansionPatch('2Gi')).toEqual({ spec: { resources: { requests: { storage: '2Gi' } } } });
  });

  it('names a blank disk\'s claim after the VM and the disk, within 253 characters', () => {
    expect(blankClaimName('web', 'data')).toBe('web-data');
    const long = blankClaimName('a'.repeat(250), 'disk');
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long).not.toMatch(/-$/);
  });

  it('reads sizes as whole, finite, positive byte counts', () => {
    expect(storageBytes('1Gi')).toBe(1024 ** 3);
    expect(storageBytes('1.5G')).toBe(1.5e9);
    for (const bad of ['', '0', '-1Gi', '1Xi', '1e400', '99999999999999999999Ti', 'Gi', ' 1Gi']) expect(storageBytes(bad), bad).toBeUndefined();
  });

  it('the add body: a blank disk or a claim, a DNS-1123 name, a size of at least 1Mi, nothing else', () => {
    expect(addDiskRequest.parse({ source: 'blank', name: 'data', size: '1Gi', storageClass: 'sandbox-shared', volumeMode: 'Block' })).toMatchObject({ source: 'blank' });
    expect(addDiskRequest.parse({ source: 'claim', name: 'data', claim: 'shared-1' })).toMatchObject({ claim: 'shared-1' });
    const bad = [
      { source: 'blank', name: 'Data', size: '1Gi' },
      { source: 'blank', name: 'data', size: '1Ki' },
      { source: 'blank', name: 'data', size: 'lots' },
      { source: 'blank', name: 'data', size: '1Gi', storageClass: 'Not_A_Class' },
      { source: 'blank', name: 'data', size: '1Gi', accessMode: 'ReadWriteAll' },
      { source: 'blank', name: 'data', size: '1Gi', claim: 'x' },
      { source: 'claim', name: 'data', claim: '../x' },
      { source: 'snapshot', name: 'data' },
      { source: 'blank', name: 'a'.repeat(64), size: '1Gi' },
    ];
    for (const b of bad) expect(addDiskRequest.safeParse(b).success, JSON.stringify(b)).toBe(false);
    expect(addDiskRequest.safeParse({ source: 'blank', name: 'Data', size: '1Gi' }).error?.issues[0]?.message).toBe('disks.error.nameInvalid');
    expect(addDiskRequest.safeParse({ source: 'blank', name: 'data', size: '1Ki' }).error?.issues[0]?.message).toBe('disks.error.sizeTooSmall');
    expect(expandDiskRequest.safeParse({ size: '2Gi' }).success).toBe(true);
    expect(expandDiskRequest.safeParse({ size: '2Gi', claim: 'x' }).success).toBe(false);
  });
});

describe('claims', () => {
  it('no resize while the capacity holds the request', () => {
    expect(claimResize(claim('c', { request: '1Gi', capacity: '1Gi' }))).toEqual({ kind: 'none' });
    expect(claimResize(claim('c', { request: '1Gi', capacity: '2Gi' }))).toEqual({ kind: 'none' });
  });

  it('a resize in progress says at which step', () => {
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi' }))).toEqual({ kind: 'resizing', step: 'waiting', to: '2Gi', from: '1Gi' });
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', conditions: [{ type: 'Resizing', status: 'True' }] }))).toMatchObject({ step: 'controller' });
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', statuses: { storage: 'ControllerResizeInProgress' } }))).toMatchObject({ step: 'controller' });
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', conditions: [{ type: 'FileSystemResizePending', status: 'True', message: 'Waiting for user to (re-)start a pod' }] }))).toEqual({
      kind: 'resizing',
      step: 'fileSystem',
      to: '2Gi',
      from: '1Gi',
      message: 'Waiting for user to (re-)start a pod',
    });
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', statuses: { storage: 'NodeResizeInProgress' } }))).toMatchObject({ step: 'node' });
  });

  it('a failed resize says so, with Kubernetes\' reason', () => {
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', statuses: { storage: 'ControllerResizeInfeasible' } }))).toEqual({ kind: 'failed', to: '2Gi' });
    expect(claimResize(claim('c', { request: '2Gi', capacity: '1Gi', conditions: [{ type: 'ControllerResizeError', status: 'True', message: 'out of space' }] }))).toEqual({ kind: 'failed', to: '2Gi', message: 'out of space' });
  });

  it('an expansion must be bigger than what the claim has and asks for, bound, on a class that allows it', () => {
    const c = claim('c', { request: '1Gi', capacity: '1Gi' });
    expect(checkExpansion(c, '2Gi', true)).toBeUndefined();
    expect(checkExpansion(c, '2Gi', undefined)).toBeUndefined();
    expect(checkExpansion(c, '1Gi', true)).toEqual({ key: 'disks.error.notLarger', vars: { current: '1Gi' } });
    expect(checkExpansion(c, '512Mi', true)).toMatchObject({ key: 'disks.error.notLarger' });
    expect(checkExpansion(claim('c', { request: '1Gi', capacity: '3Gi' }), '2Gi', true)).toEqual({ key: 'disks.error.notLarger', vars: { current: '3Gi' } });
    expect(checkExpansion(claim('c', { request: '4Gi', capacity: '1Gi' }), '3Gi', true)).toEqual({ key: 'disks.error.notLarger', vars: { current: '4Gi' } });
    expect(checkExpansion(c, 'big', true)).toEqual({ key: 'disks.error.sizeInvalid' });
    expect(checkExpansion(claim('c', { phase: 'Pending' }), '2Gi', true)).toEqual({ key: 'disks.reason.claimNotBound' });
    expect(checkExpansion(claim('c', { cls: 'sandbox-local' }), '2Gi', false)).toEqual({ key: 'disks.reason.notExpandable', vars: { storageClass: 'sandbox-local' } });
  });

  it('offers the bound claims no disk of the VM uses, nor one asked for', () => {
    const v = vm({ volumes: [hot('old', 'in-use')], disks: [scsi('old')], status: { volumeRequests: [{ addVolumeOptions: { name: 'new', disk: scsi('new'), volumeSource: { persistentVolumeClaim: { claimName: 'asked' } } } }] } });
    const all = [claim('free-b'), claim('in-use'), claim('asked'), claim('web-rootdisk'), claim('pending', { phase: 'Pending' }), claim('going', { deleting: true }), claim('free-a')];
    expect(attachableClaims(all, v).map((c) => c.metadata?.name)).toEqual(['free-a', 'free-b']);
  });

  it('a new disk\'s name is free: not a disk, not a volume, not asked for', () => {
    const v = vm({ volumes: [hot('disk-1', 'x')], disks: [scsi('disk-1')], status: { volumeRequests: [{ addVolumeOptions: { name: 'disk-2', disk: scsi('disk-2'), volumeSource: {} } }] } });
    const taken = takenDiskNames(v);
    expect([...taken].sort()).toEqual(['cloudinitdisk', 'disk-1', 'disk-2', 'rootdisk']);
    expect(nextDiskName(taken)).toBe('disk-3');
  });
});

describe('the rows of the Disks tab', () => {
  const claims = [claim('web-rootdisk', { request: '2Gi', capacity: '2Gi', cls: 'sandbox-local' }), claim('hot-claim', { request: '1Gi', mode: 'Block' })];

  it('a stopped VM: every disk with its volume kind and claim; nothing in a guest yet', () => {
    const rows = vmDiskRows(vm({ status: { printableStatus: 'Stopped' } }), undefined, claims);
    expect(rows.map((r) => [r.name, r.device, r.bus, r.volumeKind, r.source, r.hotpluggable, r.guest.kind])).toEqual([
      ['rootdisk', 'disk', 'virtio', 'dataVolume', 'web-rootdisk', false, 'notRunning'],
      ['cloudinitdisk', 'disk', 'virtio', 'cloudInitNoCloud', undefined, false, 'notRunning'],
    ]);
    expect(rows[0]!.claim).toEqual({
      name: 'web-rootdisk',
      known: true,
      phase: 'Bound',
      capacity: '2Gi',
      request: '2Gi',
      storageClass: 'sandbox-local',
      accessModes: ['ReadWriteMany'],
      volumeMode: 'Filesystem',
      resize: { kind: 'none' },
    });
    expect(rows[1]!.claim).toBeUndefined();
  });

  it('a running VM: a hot-plugged disk attaching, then in the guest once KubeVirt reports its volume Ready', () => {
    const v = vm({ volumes: [hot('data', 'hot-claim')], disks: [scsi('data')] });
    const base = [{ name: 'rootdisk' }, { name: 'cloudinitdisk' }];
    const attaching = vmDiskRows(v, vmi([...base, hot('data', 'hot-claim')], [{ name: 'rootdisk', target: 'vda' }, { name: 'data', target: '', phase: 'AttachedToNode', reason: 'SuccessfulMount', message: 'Volume mounted' }]), claims);
    expect(attaching[0]!.guest).toEqual({ kind: 'attached' });
    expect(attaching[2]).toMatchObject({ name: 'data', bus: 'scsi', hotpluggable: true, inSpec: true, guest: { kind: 'attaching', phase: 'AttachedToNode', reason: 'SuccessfulMount', message: 'Volume mounted' } });
    expect(attaching[2]!.volumeStatus).toEqual({ phase: 'AttachedToNode', reason: 'SuccessfulMount', message: 'Volume mounted', target: '' });
    expect(attaching[2]!.claim).toMatchObject({ volumeMode: 'Block', known: true });
    // Not yet carried to the VMI at all.
    expect(vmDiskRows(v, vmi(base, []), claims)[2]!.guest).toEqual({ kind: 'attaching' });
    const ready = vmDiskRows(v, vmi([...base, hot('data', 'hot-claim')], [{ name: 'data', target: 'sda', phase: 'Ready' }]), claims);
    expect(ready[2]!.guest).toEqual({ kind: 'attached' });
  });

  it('a disk asked for and not yet in the spec; one asked to go; one only the VMI still has', () => {
    const v = vm({
      volumes: [hot('leaving', 'hot-claim')],
      disks: [scsi('leaving')],
      status: {
        volumeRequests: [
          { addVolumeOptions: { name: 'coming', disk: { name: 'coming', disk: { bus: 'scsi' } }, volumeSource: { dataVolume: { name: 'web-coming', hotpluggable: true } } } },
          { removeVolumeOptions: { name: 'leaving' } },
        ],
      },
    });
    const running = vmi([{ name: 'rootdisk' }, { name: 'cloudinitdisk' }, hot('leaving', 'hot-claim')], [{ name: 'gone', target: 'sdb', phase: 'Detaching' }, { name: 'leaving', target: 'sda', phase: 'Ready' }]);
    const rows = vmDiskRows(v, running, claims);
    expect(rows.map((r) => [r.name, r.inSpec, r.guest.kind])).toEqual([
      ['rootdisk', true, 'attached'],
      ['cloudinitdisk', true, 'attached'],
      ['leaving', true, 'detaching'],
      ['coming', false, 'requested'],
      ['gone', false, 'detaching'],
    ]);
    expect(rows[3]).toMatchObject({ volumeKind: 'dataVolume', dataVolume: 'web-coming', hotpluggable: true, claim: { name: 'web-coming', known: false } });
  });

  it('a volume plugged into the VMI alone is there for this run only; a template disk the VMI lacks waits for a restart', () => {
    const v = vm({ volumes: [{ name: 'extra', persistentVolumeClaim: { claimName: 'hot-claim' } }], disks: [{ name: 'extra', disk: { bus: 'virtio' } }] });
    const running = vmi([{ name: 'rootdisk' }, { name: 'cloudinitdisk' }, hot('ephemeral', 'hot-claim')], [{ name: 'ephemeral', target: 'sda', phase: 'Ready' }]);
    const rows = vmDiskRows(v, running, claims);
    expect(rows.map((r) => [r.name, r.guest.kind])).toEqual([
      ['rootdisk', 'attached'],
      ['cloudinitdisk', 'attached'],
      ['extra', 'restartNeeded'],
      ['ephemeral', 'thisRunOnly'],
    ]);
  });

  it('a VMI that is still starting, or has ended, has no guest to plug into', () => {
    for (const phase of ['Scheduling', 'Scheduled', 'Succeeded', 'Failed']) {
      const v = vmi([{ name: 'rootdisk' }], [], { status: { phase } });
      expect(vmDiskRows(vm(), v, claims).every((r) => r.guest.kind === 'notRunning'), phase).toBe(true);
    }
  });

  it('without the claims, the VMI\'s view of a claim stands in', () => {
    const running = vmi(
      [{ name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } }],
      [{ name: 'rootdisk', target: 'vda', persistentVolumeClaimInfo: { claimName: 'web-rootdisk', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', capacity: { storage: '3Gi' }, requests: { storage: '3Gi' } } }],
    );
    expect(vmDiskRows(vm(), running)[0]!.claim).toEqual({ name: 'web-rootdisk', known: false, capacity: '3Gi', request: '3Gi', accessModes: ['ReadWriteOnce'], volumeMode: 'Block', resize: { kind: 'none' } });
  });
});

describe('when each operation applies', () => {
  const row = (r: Partial<DiskRow>): DiskRow => ({ name: 'd', device: 'disk', volumeKind: 'persistentVolumeClaim', hotpluggable: true, inSpec: true, guest: { kind: 'attached' }, ...r });
  const facts = { name: 'c', known: true, phase: 'Bound', storageClass: 'sandbox-shared', accessModes: [], resize: { kind: 'none' as const } };

  it('adding: unless the VM is being deleted', () => {
    expect(addApplies(vm())).toEqual({ ok: true });
    expect(addApplies(vm({ meta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }))).toEqual({ ok: false, reasonKey: 'reason.terminating' });
  });

  it('removing: a hot-plugged disk of the spec that is not already leaving', () => {
    expect(removeApplies(row({}))).toEqual({ ok: true });
    expect(removeApplies(row({ hotpluggable: false }))).toEqual({ ok: false, reasonKey: 'disks.reason.notHotplugged' });
    expect(removeApplies(row({ guest: { kind: 'detaching' } }))).toEqual({ ok: false, reasonKey: 'disks.reason.removing' });
    expect(removeApplies(row({ inSpec: false, guest: { kind: 'requested' } }))).toEqual({ ok: false, reasonKey: 'disks.reason.notInSpec' });
  });

  it('expanding: a bound claim that can be read, on a class that does not refuse it', () => {
    expect(expandApplies(row({ claim: facts }), true)).toEqual({ ok: true });
    expect(expandApplies(row({ claim: facts }), undefined)).toEqual({ ok: true });
    expect(expandApplies(row({ claim: facts }), false)).toEqual({ ok: false, reasonKey: 'disks.reason.notExpandable', vars: { storageClass: 'sandbox-shared' } });
    expect(expandApplies(row({}), true)).toEqual({ ok: false, reasonKey: 'disks.reason.noClaim' });
    expect(expandApplies(row({ claim: { ...facts, known: false } }), true)).toEqual({ ok: false, reasonKey: 'disks.reason.claimUnknown', vars: { claim: 'c' } });
    expect(expandApplies(row({ claim: { ...facts, phase: 'Pending' } }), true)).toEqual({ ok: false, reasonKey: 'disks.reason.claimNotBound' });
  });
});
