import { describe, expect, it } from 'vitest';
import { accessKey, menuEntries, needsTypedName, VM_ACTION_IDS, VM_ACTIONS, vmState, type VmState } from './actions';
import type { PrintableStatus } from './status';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from './types';

const state = (status: PrintableStatus, hasVmi = status !== 'Stopped', runStrategy = 'Always', extra: Partial<VmState> = {}): VmState => ({ status, hasVmi, runStrategy, ...extra });
const migratableOk: Partial<VmState> = { migratable: { ok: true } };
const applies = (id: keyof typeof VM_ACTIONS, s: VmState) => VM_ACTIONS[id].applies(s);

describe('action rules', () => {
  it('start applies to a stopped VM only', () => {
    expect(applies('start', state('Stopped'))).toEqual({ ok: true });
    expect(applies('start', state('CrashLoopBackOff', false))).toEqual({ ok: true });
    expect(applies('start', state('Running'))).toEqual({ ok: false, reasonKey: 'reason.alreadyRunning' });
    expect(applies('start', state('Paused'))).toEqual({ ok: false, reasonKey: 'reason.alreadyRunning' });
    expect(applies('start', state('Starting'))).toEqual({ ok: false, reasonKey: 'reason.inTransition' });
    expect(applies('start', state('Terminating'))).toEqual({ ok: false, reasonKey: 'reason.terminating' });
  });

  it('stop applies to anything with a guest or about to have one, not to a stopped VM', () => {
    expect(applies('stop', state('Running'))).toEqual({ ok: true });
    expect(applies('stop', state('Starting'))).toEqual({ ok: true });
    expect(applies('stop', state('ErrorUnschedulable'))).toEqual({ ok: true });
    expect(applies('stop', state('Stopped'))).toEqual({ ok: false, reasonKey: 'reason.notRunning' });
    expect(applies('stop', state('Stopping'))).toEqual({ ok: false, reasonKey: 'reason.inTransition' });
  });

  it('force stop needs a VMI, even while stopping', () => {
    expect(applies('forceStop', state('Stopping', true))).toEqual({ ok: true });
    expect(applies('forceStop', state('Stopped', false))).toEqual({ ok: false, reasonKey: 'reason.notRunning' });
  });

  it('restart applies while the guest is up; runStrategy rules are left to the API server', () => {
    expect(applies('restart', state('Running'))).toEqual({ ok: true });
    expect(applies('restart', state('Running', true, 'Once'))).toEqual({ ok: true });
    expect(applies('restart', state('Stopped'))).toEqual({ ok: false, reasonKey: 'reason.notRunning' });
  });

  it('pause and unpause follow the Paused status', () => {
    expect(applies('pause', state('Running'))).toEqual({ ok: true });
    expect(applies('pause', state('Paused'))).toEqual({ ok: false, reasonKey: 'reason.alreadyPaused' });
    expect(applies('pause', state('Stopped'))).toEqual({ ok: false, reasonKey: 'reason.notRunning' });
    expect(applies('unpause', state('Paused'))).toEqual({ ok: true });
    expect(applies('unpause', state('Running'))).toEqual({ ok: false, reasonKey: 'reason.notPaused' });
  });

  it('delete applies unless already deleting, and asks for the name when the VM runs', () => {
    expect(applies('delete', state('Running'))).toEqual({ ok: true });
    expect(applies('delete', state('Terminating'))).toEqual({ ok: false, reasonKey: 'reason.terminating' });
    expect(needsTypedName(VM_ACTIONS.delete, state('Running'))).toBe(true);
    expect(needsTypedName(VM_ACTIONS.delete, state('Stopped', false))).toBe(false);
    expect(needsTypedName(VM_ACTIONS.stop, state('Running'))).toBe(false);
  });

  it('migrate applies to a running or paused VM that KubeVirt calls LiveMigratable, one migration at a time', () => {
    expect(applies('migrate', state('Running', true, 'Always', migratableOk))).toEqual({ ok: true });
    expect(applies('migrate', state('Paused', true, 'Always', migratableOk))).toEqual({ ok: true });
    expect(applies('migrate', state('Stopped', false, 'Always', migratableOk))).toEqual({ ok: false, reasonKey: 'reason.notRunning' });
    expect(applies('migrate', state('Migrating', true, 'Always', migratableOk))).toEqual({ ok: false, reasonKey: 'migration.reason.inProgress' });
    expect(applies('migrate', state('Running', true, 'Always', { ...migratableOk, migration: { name: 'm', cancelling: false } }))).toEqual({ ok: false, reasonKey: 'migration.reason.inProgress' });
    expect(applies('migrate', state('Terminating'))).toEqual({ ok: false, reasonKey: 'reason.terminating' });
    // Not migratable: KubeVirt's reason, in plain words with its data.
    const block = { key: 'migration.block.diskNotShared' as const, vars: { disk: 'rootdisk', claim: 'c', modes: 'ReadWriteOnce' } };
    expect(applies('migrate', state('Running', true, 'Always', { migratable: { ok: false, block } }))).toEqual({ ok: false, reasonKey: 'migration.block.diskNotShared', vars: block.vars });
    expect(applies('migrate', state('Running'))).toEqual({ ok: false, reasonKey: 'migration.block.notReported' });
  });

  it('cancelMigration applies while a migration runs and is not already being cancelled', () => {
    expect(applies('cancelMigration', state('Running', true, 'Always', { migration: { name: 'm', cancelling: false } }))).toEqual({ ok: true });
    expect(applies('cancelMigration', state('Migrating'))).toEqual({ ok: true });
    expect(applies('cancelMigration', state('Running', true, 'Always', { migration: { name: 'm', cancelling: true } }))).toEqual({ ok: false, reasonKey: 'migration.reason.cancelling' });
    expect(applies('cancelMigration', state('Running'))).toEqual({ ok: false, reasonKey: 'migration.reason.noMigration' });
  });

  it('declares the KubeVirt subresource calls', () => {
    const vm = { namespace: 'team-a', name: 'my vm', uid: 'u-1' };
    expect(VM_ACTIONS.start.request(vm)).toEqual({ method: 'PUT', resource: 'virtualmachines', subresource: 'start', body: {} });
    expect(VM_ACTIONS.forceStop.request(vm)).toEqual({ method: 'PUT', resource: 'virtualmachines', subresource: 'stop', body: { gracePeriod: 0 } });
    expect(VM_ACTIONS.pause.request(vm)).toMatchObject({ resource: 'virtualmachineinstances', subresource: 'pause' });
    expect(VM_ACTIONS.unpause.request(vm)).toMatchObject({ resource: 'virtualmachineinstances', subresource: 'unpause' });
    expect(VM_ACTIONS.delete.request(vm)).toEqual({
      method: 'DELETE',
      resource: 'virtualmachines',
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u-1' } },
    });
    expect(VM_ACTIONS.migrate.request(vm)).toEqual({ method: 'PUT', resource: 'virtualmachines', subresource: 'migrate', body: {} });
    expect(VM_ACTIONS.migrate.request(vm, { node: 'worker-2' })).toEqual({
      method: 'PUT',
      resource: 'virtualmachines',
      subresource: 'migrate',
      body: { addedNodeSelector: { 'kubernetes.io/hostname': 'worker-2' } },
    });
    expect(VM_ACTIONS.cancelMigration.request(vm, { migration: { name: 'kubevirt-migrate-vm-x', uid: 'm-1' } })).toEqual({
      method: 'DELETE',
      resource: 'virtualmachineinstancemigrations',
      name: 'kubevirt-migrate-vm-x',
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'm-1' } },
    });
    expect(() => VM_ACTIONS.cancelMigration.request(vm)).toThrow();
  });

  it('declares the access review each action needs', () => {
    expect(VM_ACTIONS.start.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'start' });
    expect(VM_ACTIONS.pause.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource: 'pause' });
    expect(VM_ACTIONS.delete.access).toEqual({ verb: 'delete', group: 'kubevirt.io', resource: 'virtualmachines' });
    expect(VM_ACTIONS.migrate.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'migrate' });
    expect(VM_ACTIONS.cancelMigration.access).toEqual({ verb: 'delete', group: 'kubevirt.io', resource: 'virtualmachineinstancemigrations' });
    for (const id of VM_ACTION_IDS) expect(VM_ACTIONS[id].labelKey).toBe(id === 'migrate' ? 'migration.action.migrate' : id === 'cancelMigration' ? 'migration.action.cancel' : `action.${id}`);
  });

  describe('menu entries', () => {
    const vm: VirtualMachine = { metadata: { name: 'v', namespace: 'team-a' }, spec: { runStrategy: 'Halted', template: {} as never }, status: { printableStatus: 'Stopped' } };
    const running: VirtualMachine = { ...vm, spec: { runStrategy: 'Always', template: {} as never }, status: { printableStatus: 'Running', created: true } };
    const vmi: VirtualMachineInstance = {
      metadata: { name: 'v', namespace: 'team-a' },
      spec: { domain: { devices: {} } } as never,
      status: { phase: 'Running', conditions: [{ type: 'LiveMigratable', status: 'True' }] as never },
    };

    it('disables everything with the forbidden reason when access reviews say no (a viewer)', () => {
      const entries = menuEntries(running, vmi, () => false);
      expect(entries).toHaveLength(9);
      for (const e of entries) {
        expect(e.enabled).toBe(false);
        expect(!e.enabled && e.reason.key).toBe('reason.forbidden');
      }
      const start = entries.find((e) => e.def.id === 'start')!;
      expect(!start.enabled && start.reason).toEqual({ key: 'reason.forbidden', verb: 'update', resource: 'virtualmachines/start' });
    });

    it('says "checking" while the reviews are in flight', () => {
      expect(menuEntries(vm, undefined, () => undefined).every((e) => !e.enabled && e.reason.key === 'reason.checking')).toBe(true);
    });

    it('a review that could not be answered shows as failed, with the error, not as "checking"', () => {
      const err = new Error('502');
      const entries = menuEntries(running, vmi, () => ({ failed: err }));
      expect(entries.every((e) => !e.enabled && e.reason.key === 'reason.accessFailed' && e.reason.error === err)).toBe(true);
    });

    it('with access, enables what applies to the state', () => {
      const allowed = (key: string) => key.startsWith('team-a|');
      const stopped = Object.fromEntries(menuEntries(vm, undefined, allowed).map((e) => [e.def.id, e.enabled]));
      expect(stopped).toEqual({ start: true, stop: false, restart: false, pause: false, unpause: false, forceStop: false, migrate: false, cancelMigration: false, delete: true });
      const up = Object.fromEntries(menuEntries(running, vmi, allowed).map((e) => [e.def.id, e.enabled]));
      expect(up).toEqual({ start: false, stop: true, restart: true, pause: true, unpause: false, forceStop: true, migrate: true, cancelMigration: false, delete: true });
    });

    it('follows the VM\'s migrations when the page has them: one in progress turns migrate off and cancel on', () => {
      const allowed = () => true;
      const mig = (name: string, vmiName: string, phase: string): VirtualMachineInstanceMigration => ({ metadata: { name, namespace: 'team-a', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { vmiName }, status: { phase } });
      const on = (migrations: VirtualMachineInstanceMigration[]) => Object.fromEntries(menuEntries(running, vmi, allowed, migrations).map((e) => [e.def.id, e]));
      const pending = on([mig('m1', 'v', 'Scheduling'), mig('m0', 'v', 'Succeeded')]);
      expect(pending.migrate!.enabled).toBe(false);
      expect(!pending.migrate!.enabled && pending.migrate!.reason).toEqual({ key: 'migration.reason.inProgress' });
      expect(pending.cancelMigration!.enabled).toBe(true);
      const others = on([mig('m2', 'another-vm', 'Running')]);
      expect([others.migrate!.enabled, others.cancelMigration!.enabled]).toEqual([true, false]);
      // Without the migrations, the VMI's own migrationState tells a running one.
      const moving = { ...vmi, status: { ...vmi.status, migrationState: { startTimestamp: '2026-01-01T00:00:01Z' } } };
      expect(menuEntries(running, moving, allowed).find((e) => e.def.id === 'cancelMigration')!.enabled).toBe(true);
    });

    it('a VM that cannot be migrated says why, with the data for the sentence', () => {
      const stuck: VirtualMachineInstance = {
        ...vmi,
        spec: { domain: { devices: {} }, volumes: [{ name: 'rootdisk', persistentVolumeClaim: { claimName: 'root-pvc' } }] } as never,
        status: {
          phase: 'Running',
          conditions: [{ type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable', message: 'cannot migrate VMI: PVC root-pvc is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)' }] as never,
          volumeStatus: [{ name: 'rootdisk', target: 'vda', persistentVolumeClaimInfo: { claimName: 'root-pvc', accessModes: ['ReadWriteOnce'] } }] as never,
        },
      };
      const m = menuEntries(running, stuck, () => true).find((e) => e.def.id === 'migrate')!;
      expect(!m.enabled && m.reason).toEqual({ key: 'migration.block.diskNotShared', vars: { disk: 'rootdisk', claim: 'root-pvc', modes: 'ReadWriteOnce' } });
    });

    it('asks one review per namespace and action, not per VM', () => {
      expect(accessKey('team-a', VM_ACTIONS.stop.access)).toBe(accessKey('team-a', VM_ACTIONS.forceStop.access));
      expect(accessKey('team-a', VM_ACTIONS.stop.access)).not.toBe(accessKey('team-b', VM_ACTIONS.stop.access));
      expect(vmState(running, vmi)).toEqual({ status: 'Running', runStrategy: 'Always', hasVmi: true, migratable: { ok: true } });
    });
  });
});
