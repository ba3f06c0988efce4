import { describe, expect, it } from 'vitest';
import { accessKey, menuEntries, needsTypedName, VM_ACTION_IDS, VM_ACTIONS, vmState, type VmState } from './actions';
import type { PrintableStatus } from './status';
import type { VirtualMachine, VirtualMachineInstance } from './types';

const state = (status: PrintableStatus, hasVmi = status !== 'Stopped', runStrategy = 'Always'): VmState => ({ status, hasVmi, runStrategy });
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
  });

  it('declares the access review each action needs', () => {
    expect(VM_ACTIONS.start.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'start' });
    expect(VM_ACTIONS.pause.access).toEqual({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource: 'pause' });
    expect(VM_ACTIONS.delete.access).toEqual({ verb: 'delete', group: 'kubevirt.io', resource: 'virtualmachines' });
    for (const id of VM_ACTION_IDS) expect(VM_ACTIONS[id].labelKey).toBe(`action.${id}`);
  });

  describe('menu entries', () => {
    const vm: VirtualMachine = { metadata: { name: 'v', namespace: 'team-a' }, spec: { runStrategy: 'Halted', template: {} as never }, status: { printableStatus: 'Stopped' } };
    const running: VirtualMachine = { ...vm, spec: { runStrategy: 'Always', template: {} as never }, status: { printableStatus: 'Running', created: true } };
    const vmi: VirtualMachineInstance = { metadata: { name: 'v', namespace: 'team-a' }, spec: { domain: { devices: {} } } as never, status: { phase: 'Running' } };

    it('disables everything with the forbidden reason when access reviews say no (a viewer)', () => {
      const entries = menuEntries(running, vmi, () => false);
      expect(entries).toHaveLength(7);
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
      expect(stopped).toEqual({ start: true, stop: false, restart: false, pause: false, unpause: false, forceStop: false, delete: true });
      const up = Object.fromEntries(menuEntries(running, vmi, allowed).map((e) => [e.def.id, e.enabled]));
      expect(up).toEqual({ start: false, stop: true, restart: true, pause: true, unpause: false, forceStop: true, delete: true });
    });

    it('asks one review per namespace and action, not per VM', () => {
      expect(accessKey('team-a', VM_ACTIONS.stop.access)).toBe(accessKey('team-a', VM_ACTIONS.forceStop.access));
      expect(accessKey('team-a', VM_ACTIONS.stop.access)).not.toBe(accessKey('team-b', VM_ACTIONS.stop.access));
      expect(vmState(running, vmi)).toEqual({ status: 'Running', runStrategy: 'Always', hasVmi: true });
    });
  });
});
