import { describe, expect, it } from 'vitest';
import { activeMigration, migratable, migrationDurationMs, migrationsOfVm, migrationTimeline, summarizeNode, targetChoices, type NodeSummary } from './migrations';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from './types';

const cond = (status: string, reason?: string, message?: string) => ({ type: 'LiveMigratable', status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });

function vmi(conditions: object[], extra: { spec?: object; status?: object } = {}): VirtualMachineInstance {
  return {
    metadata: { name: 'vm-1', namespace: 'team-a' },
    spec: { domain: { devices: {} }, ...extra.spec } as never,
    status: { phase: 'Running', conditions: conditions as never, ...extra.status },
  };
}

const pvcVolumes = {
  volumes: [
    { name: 'rootdisk', dataVolume: { name: 'vm-1-root' } },
    { name: 'data', persistentVolumeClaim: { claimName: 'shared-data' } },
    { name: 'cloudinit', cloudInitNoCloud: { userData: '' } },
  ],
};
const volumeStatus = [
  { name: 'rootdisk', target: 'vda', persistentVolumeClaimInfo: { claimName: 'vm-1-root', accessModes: ['ReadWriteOnce'] } },
  { name: 'data', target: 'vdb', persistentVolumeClaimInfo: { claimName: 'shared-data', accessModes: ['ReadWriteMany'] } },
];

describe('migratable', () => {
  it('LiveMigratable=True is ok', () => expect(migratable(vmi([cond('True')]))).toEqual({ ok: true }));

  it('names the disk, its claim and its access mode when a PVC is not shared', () => {
    const msg = 'cannot migrate VMI: PVC vm-1-root is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)';
    const r = migratable(vmi([cond('False', 'DisksNotLiveMigratable', msg)], { spec: pvcVolumes, status: { volumeStatus } }));
    expect(r).toEqual({
      ok: false,
      block: { key: 'migration.block.diskNotShared', vars: { disk: 'rootdisk', claim: 'vm-1-root', modes: 'ReadWriteOnce' }, kubevirtReason: 'DisksNotLiveMigratable', detail: msg },
    });
  });

  it('finds the access modes by volume name when the VMI\'s volume status does not name the claim', () => {
    const msg = 'cannot migrate VMI: PVC vm-1-root is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)';
    const r = migratable(vmi([cond('False', 'DisksNotLiveMigratable', msg)], { spec: pvcVolumes, status: { volumeStatus: [{ name: 'rootdisk', persistentVolumeClaimInfo: { accessModes: ['ReadWriteOnce'] } }] } }));
    expect(!r.ok && r.block.vars).toEqual({ disk: 'rootdisk', claim: 'vm-1-root', modes: 'ReadWriteOnce' });
  });

  it('a PVC volume is found by its claim; without access modes it still says ReadWriteMany is needed', () => {
    const msg = 'cannot migrate VMI: PVC shared-data is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)';
    const r = migratable(vmi([cond('False', 'DisksNotLiveMigratable', msg)], { spec: pvcVolumes }));
    expect(!r.ok && r.block).toMatchObject({ key: 'migration.block.diskNotRwx', vars: { disk: 'data', claim: 'shared-data' } });
  });

  it('says when KubeVirt could not tell whether a claim is shared', () => {
    const msg = 'cannot migrate VMI: Unable to determine if PVC vm-1-root is shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)';
    const r = migratable(vmi([cond('False', 'DisksNotLiveMigratable', msg)], { spec: pvcVolumes }));
    expect(!r.ok && r.block).toMatchObject({ key: 'migration.block.diskUnknown', vars: { disk: 'rootdisk', claim: 'vm-1-root' } });
  });

  it('an unexpected disk message falls back to the VMI\'s own volume status, then to a general sentence', () => {
    const withStatus = migratable(vmi([cond('False', 'DisksNotLiveMigratable', 'something new')], { spec: pvcVolumes, status: { volumeStatus } }));
    expect(!withStatus.ok && withStatus.block.vars).toEqual({ disk: 'rootdisk', claim: 'vm-1-root', modes: 'ReadWriteOnce' });
    const bare = migratable(vmi([cond('False', 'DisksNotLiveMigratable', 'something new')]));
    expect(!bare.ok && bare.block).toMatchObject({ key: 'migration.block.disks', detail: 'something new' });
    const host = migratable(vmi([cond('False', 'DisksNotLiveMigratable', 'cannot migrate VMI with non-shared HostDisk')]));
    expect(!host.ok && host.block.key).toBe('migration.block.hostDisk');
  });

  it('names the pod network interface and its binding', () => {
    const spec = { domain: { devices: { interfaces: [{ name: 'default', bridge: {} }, { name: 'vlan', bridge: {} }] } }, networks: [{ name: 'default', pod: {} }, { name: 'vlan', multus: { networkName: 'v' } }] };
    const msg = 'cannot migrate VMI which does not use masquerade, bridge with kubevirt.io/allow-pod-bridge-network-live-migration VM annotation or a migratable plugin to connect to the pod network';
    const r = migratable(vmi([cond('False', 'InterfaceNotLiveMigratable', msg)], { spec }));
    expect(!r.ok && r.block).toMatchObject({ key: 'migration.block.interface', vars: { iface: 'default', binding: 'bridge' } });
    const none = migratable(vmi([cond('False', 'InterfaceNotLiveMigratable', msg)]));
    expect(!none.ok && none.block.key).toBe('migration.block.interfaceGeneric');
  });

  it('has a plain sentence for each other reason KubeVirt gives, and keeps an unknown one with its words', () => {
    const key = (reason: string) => {
      const r = migratable(vmi([cond('False', reason, 'x')]));
      return !r.ok && r.block.key;
    };
    expect(key('HostDeviceNotLiveMigratable')).toBe('migration.block.hostDevice');
    expect(key('SEVNotLiveMigratable')).toBe('migration.block.sev');
    expect(key('HotplugNotLiveMigratable')).toBe('migration.block.hotplug');
    expect(key('CPUModeLiveMigratable')).toBe('migration.block.cpuMode');
    expect(key('PersistentReservationNotLiveMigratable')).toBe('migration.block.persistentReservation');
    const other = migratable(vmi([cond('False', 'SomethingNewNotLiveMigratable', 'the new words')]));
    expect(!other.ok && other.block).toMatchObject({ key: 'migration.block.other', vars: { reason: 'SomethingNewNotLiveMigratable', message: 'the new words' } });
  });

  it('without the condition it is not known yet; the VM\'s mirrored copy serves without a VMI', () => {
    expect(migratable(vmi([]))).toEqual({ ok: false, block: { key: 'migration.block.notReported' } });
    const vm: VirtualMachine = { metadata: { name: 'vm-1' }, spec: { template: {} as never }, status: { conditions: [cond('True')] as never } };
    expect(migratable(undefined, vm)).toEqual({ ok: true });
  });
});

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString().replace('.000Z', 'Z');

function vmim(name: string, phase: string, phases: [string, number][], extra: Partial<VirtualMachineInstanceMigration> & { created?: number; deleting?: boolean } = {}): VirtualMachineInstanceMigration {
  return {
    metadata: {
      name,
      namespace: 'team-a',
      uid: `uid-${name}`,
      ...(extra.created !== undefined ? { creationTimestamp: T(extra.created) } : {}),
      ...(extra.deleting ? { deletionTimestamp: T(99) } : {}),
    } as never,
    spec: { vmiName: 'vm-1', ...extra.spec },
    status: { phase, phaseTransitionTimestamps: phases.map(([p, s]) => ({ phase: p, phaseTransitionTimestamp: T(s) })) as never, ...extra.status },
  };
}

const upTo = (last: string): [string, number][] => {
  const all = ['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded'];
  return all.slice(0, all.indexOf(last) + 1).map((p, i) => [p, i]);
};

describe('migrationTimeline', () => {
  it('a running migration: earlier phases done with their times, the current one, the rest to come', () => {
    const m = vmim('m1', 'PreparingTarget', upTo('PreparingTarget'), {
      created: 0,
      status: { migrationState: { sourceNode: 'worker-1', targetNode: 'worker-2', sourcePod: 'virt-launcher-a', targetPod: 'virt-launcher-b', mode: 'PreCopy' } } as never,
    });
    const tl = migrationTimeline(m);
    expect(tl.steps.map((s) => [s.phase, s.state])).toEqual([
      ['Pending', 'done'],
      ['Scheduling', 'done'],
      ['Scheduled', 'done'],
      ['PreparingTarget', 'current'],
      ['TargetReady', 'upcoming'],
      ['Running', 'upcoming'],
      ['Succeeded', 'upcoming'],
    ]);
    expect(tl.steps[3]!.at).toBe(T(3));
    expect(tl).toMatchObject({ phase: 'PreparingTarget', result: 'running', finished: false, cancellable: true, cancelling: false, sourceNode: 'worker-1', targetNode: 'worker-2', targetPod: 'virt-launcher-b', startedAt: T(0) });
    expect(tl.endedAt).toBeUndefined();
    expect(migrationDurationMs(tl, Date.parse(T(42)))).toBe(42_000);
  });

  it('a succeeded one: every phase done, Succeeded current, ended at its transition', () => {
    const tl = migrationTimeline(vmim('m1', 'Succeeded', upTo('Succeeded'), { created: 0 }));
    expect(tl.steps.every((s) => s.state === 'done' || (s.phase === 'Succeeded' && s.state === 'current'))).toBe(true);
    expect(tl).toMatchObject({ result: 'succeeded', finished: true, cancellable: false, endedAt: T(6) });
    expect(migrationDurationMs(tl, Date.parse(T(500)))).toBe(6_000);
  });

  it('a failed one ends in Failed, with the phases it never reached marked so, and the reason', () => {
    const m = vmim('m1', 'Failed', [...upTo('Scheduling'), ['Failed', 9]], { created: 0, status: { migrationState: { failed: true, failureReason: 'target pod could not be scheduled' } } as never });
    const tl = migrationTimeline(m);
    expect(tl.steps.map((s) => [s.phase, s.state])).toEqual([
      ['Pending', 'done'],
      ['Scheduling', 'done'],
      ['Scheduled', 'notReached'],
      ['PreparingTarget', 'notReached'],
      ['TargetReady', 'notReached'],
      ['Running', 'notReached'],
      ['Failed', 'current'],
    ]);
    expect(tl).toMatchObject({ result: 'failed', failureReason: 'target pod could not be scheduled', endedAt: T(9) });
  });

  it('a cancelled one: deleted while running is "cancelling", and once failed with the abort condition "cancelled"', () => {
    expect(migrationTimeline(vmim('m1', 'Running', upTo('Running'), { deleting: true }))).toMatchObject({ cancelling: true, cancellable: false, result: 'running' });
    const done = vmim('m1', 'Failed', [...upTo('Running'), ['Failed', 8]], {
      status: { conditions: [{ type: 'migrationAbortRequested', status: 'True', reason: 'MigrationAbortRequested', message: 'Migration failed due to being canceled' }] } as never,
    });
    expect(migrationTimeline(done)).toMatchObject({ result: 'cancelled', failureReason: 'Migration failed due to being canceled' });
  });

  it('takes nodes and pods from the VMI when they belong to this migration, and the node asked for', () => {
    const m = vmim('m1', 'TargetReady', upTo('TargetReady'), { spec: { vmiName: 'vm-1', addedNodeSelector: { 'kubernetes.io/hostname': 'worker-2' } } });
    const mine = vmi([], { status: { migrationState: { migrationUid: 'uid-m1', sourceNode: 'worker-1', targetNode: 'worker-2' } } });
    const other = vmi([], { status: { migrationState: { migrationUid: 'uid-old', sourceNode: 'worker-9', targetNode: 'worker-8' } } });
    expect(migrationTimeline(m, mine)).toMatchObject({ sourceNode: 'worker-1', targetNode: 'worker-2', requestedNode: 'worker-2' });
    expect(migrationTimeline(m, other).sourceNode).toBeUndefined();
  });

  it('a new one has no phase yet: everything to come; an unknown phase is shown where it is', () => {
    const fresh = migrationTimeline({ metadata: { name: 'm0', namespace: 'team-a' }, spec: { vmiName: 'vm-1' } });
    expect(fresh.steps.every((s) => s.state === 'upcoming')).toBe(true);
    expect(fresh.cancellable).toBe(true);
    const odd = migrationTimeline(vmim('m1', 'WaitingForSync', upTo('Pending')));
    expect(odd.steps.find((s) => s.state === 'current')?.phase).toBe('WaitingForSync');
  });
});

describe('a VM\'s migrations', () => {
  const list = [
    vmim('old', 'Succeeded', upTo('Succeeded'), { created: 1 }),
    vmim('new', 'Running', upTo('Running'), { created: 30 }),
    { ...vmim('other-vm', 'Running', upTo('Running'), { created: 40 }), spec: { vmiName: 'vm-2' } },
    vmim('mid', 'Failed', [['Failed', 12]], { created: 10 }),
  ];

  it('are those naming its VMI, newest first', () => expect(migrationsOfVm(list, 'vm-1').map((m) => m.metadata?.name)).toEqual(['new', 'mid', 'old']));

  it('the active one is the unfinished one', () => {
    expect(activeMigration(migrationsOfVm(list, 'vm-1'))?.metadata?.name).toBe('new');
    expect(activeMigration(migrationsOfVm(list.slice(0, 1), 'vm-1'))).toBeUndefined();
  });

  it('without a creation time, the first phase time orders them', () => {
    const a = vmim('a', 'Succeeded', [['Pending', 5]]);
    const b = vmim('b', 'Succeeded', [['Pending', 50]]);
    expect(migrationsOfVm([a, b], 'vm-1').map((m) => m.metadata?.name)).toEqual(['b', 'a']);
  });
});

describe('target nodes', () => {
  const node = (name: string, o: Partial<NodeSummary> = {}): NodeSummary => ({ name, ready: true, unschedulable: false, taints: [], ...o });

  it('offers ready, schedulable nodes other than the current one; says why the others are not', () => {
    const choices = targetChoices([node('worker-2'), node('worker-1'), node('cp', { taints: ['node-role.kubernetes.io/control-plane'] }), node('down', { ready: false }), node('cordoned', { unschedulable: true }), node('novirt', { kubevirtSchedulable: false })], 'worker-1');
    expect(choices).toEqual([
      { name: 'cordoned', ok: false, reasonKey: 'migration.node.cordoned' },
      { name: 'cp', ok: true, tainted: true },
      { name: 'down', ok: false, reasonKey: 'migration.node.notReady' },
      { name: 'novirt', ok: false, reasonKey: 'migration.node.noVms' },
      { name: 'worker-1', ok: false, reasonKey: 'migration.node.current' },
      { name: 'worker-2', ok: true, tainted: false },
    ]);
  });

  it('summarizes a Node object', () => {
    expect(
      summarizeNode({
        metadata: { name: 'w', labels: { 'kubevirt.io/schedulable': 'true' } },
        spec: { unschedulable: true, taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    ).toEqual({ name: 'w', ready: true, unschedulable: true, kubevirtSchedulable: true, taints: ['a'] });
    expect(summarizeNode({ metadata: { name: 'x' } })).toEqual({ name: 'x', ready: false, unschedulable: false, taints: [] });
  });
});
