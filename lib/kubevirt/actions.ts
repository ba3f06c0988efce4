import type { VirtualMachine, VirtualMachineInstance } from './types';
import { vmStatus, type PrintableStatus } from './status';
import { runStrategy } from './selectors';

// The VM lifecycle actions, each declared once: its label, the API call it makes, the access review that must
// allow it, and when it applies (with the reason shown when it does not). One menu component renders them all and
// one route executes them. The rules here only keep obviously useless clicks away; the API server still decides
// (for example a restart of a runStrategy Once VM is refused there, with its own reason).

export const VM_ACTION_IDS = ['start', 'stop', 'restart', 'pause', 'unpause', 'forceStop', 'delete'] as const;
export type VmActionId = (typeof VM_ACTION_IDS)[number];

export interface VmRef {
  namespace: string;
  name: string;
  uid?: string;
}

// The API call as data: lib/k8s/api-paths.ts turns it into the API server's path, so this module stays free of
// server code and the browser can read the same declarations.
export interface ActionRequest {
  method: 'PUT' | 'DELETE';
  resource: 'virtualmachines' | 'virtualmachineinstances';
  subresource?: string; // a KubeVirt subresource; none: the object itself
  body: unknown;
}

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

export type Applicability = { ok: true } | { ok: false; reasonKey: ReasonKey };

export type ReasonKey =
  | 'reason.alreadyRunning'
  | 'reason.notRunning'
  | 'reason.notPaused'
  | 'reason.alreadyPaused'
  | 'reason.inTransition'
  | 'reason.terminating';

export interface VmState {
  status: PrintableStatus;
  runStrategy: string;
  hasVmi: boolean;
}

export interface VmActionDef {
  id: VmActionId;
  labelKey: `action.${VmActionId}`;
  doneKey: `action.${VmActionId}.done`;
  danger: boolean;
  // 'typeNameIfRunning': deleting a running VM asks for its name to be typed.
  confirm: 'none' | 'simple' | 'typeNameIfRunning';
  bulk: boolean;
  access: AccessAttributes;
  request(vm: VmRef): ActionRequest;
  applies(state: VmState): Applicability;
}

const vmSub = (subresource: string): AccessAttributes => ({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource });
const vmiSub = (subresource: string): AccessAttributes => ({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource });

const ok: Applicability = { ok: true };
const no = (reasonKey: ReasonKey): Applicability => ({ ok: false, reasonKey });

const UP: ReadonlySet<PrintableStatus> = new Set(['Running', 'Paused', 'Migrating']);
const TRANSITION: ReadonlySet<PrintableStatus> = new Set(['Starting', 'Stopping', 'Provisioning', 'WaitingForVolumeBinding']);

function action(def: Omit<VmActionDef, 'labelKey' | 'doneKey'>): VmActionDef {
  return { ...def, labelKey: `action.${def.id}`, doneKey: `action.${def.id}.done` };
}

export const VM_ACTIONS: Record<VmActionId, VmActionDef> = {
  start: action({
    id: 'start',
    danger: false,
    confirm: 'none',
    bulk: true,
    access: vmSub('start'),
    request: () => ({ method: 'PUT', resource: 'virtualmachines', subresource: 'start', body: {} }),
    applies: (s) =>
      s.status === 'Terminating' ? no('reason.terminating') : UP.has(s.status) ? no('reason.alreadyRunning') : TRANSITION.has(s.status) ? no('reason.inTransition') : ok,
  }),
  stop: action({
    id: 'stop',
    danger: false,
    confirm: 'none',
    bulk: true,
    access: vmSub('stop'),
    request: () => ({ method: 'PUT', resource: 'virtualmachines', subresource: 'stop', body: {} }),
    applies: (s) =>
      s.status === 'Terminating' ? no('reason.terminating') : s.status === 'Stopping' ? no('reason.inTransition') : s.status === 'Stopped' && !s.hasVmi ? no('reason.notRunning') : ok,
  }),
  restart: action({
    id: 'restart',
    danger: false,
    confirm: 'none',
    bulk: true,
    access: vmSub('restart'),
    request: () => ({ method: 'PUT', resource: 'virtualmachines', subresource: 'restart', body: {} }),
    applies: (s) => (s.status === 'Terminating' ? no('reason.terminating') : UP.has(s.status) ? ok : no('reason.notRunning')),
  }),
  pause: action({
    id: 'pause',
    danger: false,
    confirm: 'none',
    bulk: false,
    access: vmiSub('pause'),
    request: () => ({ method: 'PUT', resource: 'virtualmachineinstances', subresource: 'pause', body: {} }),
    applies: (s) => (s.status === 'Running' ? ok : s.status === 'Paused' ? no('reason.alreadyPaused') : no('reason.notRunning')),
  }),
  unpause: action({
    id: 'unpause',
    danger: false,
    confirm: 'none',
    bulk: false,
    access: vmiSub('unpause'),
    request: () => ({ method: 'PUT', resource: 'virtualmachineinstances', subresource: 'unpause', body: {} }),
    applies: (s) => (s.status === 'Paused' ? ok : no('reason.notPaused')),
  }),
  forceStop: action({
    id: 'forceStop',
    danger: true,
    confirm: 'simple',
    bulk: false,
    access: vmSub('stop'),
    // gracePeriod 0: virt-api shortens the VMI's termination grace period, so the guest is not asked to shut down.
    request: () => ({ method: 'PUT', resource: 'virtualmachines', subresource: 'stop', body: { gracePeriod: 0 } }),
    applies: (s) => (s.hasVmi ? ok : no('reason.notRunning')),
  }),
  delete: action({
    id: 'delete',
    danger: true,
    confirm: 'typeNameIfRunning',
    bulk: true,
    access: { verb: 'delete', group: 'kubevirt.io', resource: 'virtualmachines' },
    request: (vm) => ({
      method: 'DELETE',
      resource: 'virtualmachines',
      // The uid precondition makes sure a VM recreated under the same name meanwhile is not the one deleted.
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(vm.uid ? { preconditions: { uid: vm.uid } } : {}) },
    }),
    applies: (s) => (s.status === 'Terminating' ? no('reason.terminating') : ok),
  }),
};

export function isVmActionId(v: string): v is VmActionId {
  return (VM_ACTION_IDS as readonly string[]).includes(v);
}

export function vmState(vm: VirtualMachine, vmi?: VirtualMachineInstance): VmState {
  return { status: vmStatus(vm), runStrategy: runStrategy(vm), hasVmi: Boolean(vmi) || vm.status?.created === true };
}

// Deleting a VM whose guest is up needs the name typed, so a slip of the mouse cannot destroy a running machine.
export function needsTypedName(def: VmActionDef, state: VmState): boolean {
  return def.confirm === 'typeNameIfRunning' && (state.hasVmi || state.status !== 'Stopped');
}

// An access key per namespace: reviews are asked once per namespace and action, not per VM.
export function accessKey(namespace: string, a: AccessAttributes): string {
  return [namespace, a.verb, a.group, a.resource, a.subresource ?? ''].join('|');
}

// The answer of an access review: allowed or not, undefined while it is asked, or the error that kept it from
// being answered (shown, so a menu does not say "checking" forever).
export interface AccessFailure {
  failed: unknown;
}
export type AccessAnswer = boolean | undefined | AccessFailure;

export type MenuEntry =
  | { def: VmActionDef; enabled: true }
  | {
      def: VmActionDef;
      enabled: false;
      reason: { key: ReasonKey } | { key: 'reason.forbidden'; verb: string; resource: string } | { key: 'reason.checking' } | { key: 'reason.accessFailed'; error: unknown };
    };

// What the menu shows for one VM: enabled actions, and disabled ones with why. `allowed` maps accessKey → answer.
export function menuEntries(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, allowed: (key: string) => AccessAnswer): MenuEntry[] {
  const state = vmState(vm, vmi);
  const ns = vm.metadata?.namespace ?? '';
  return VM_ACTION_IDS.map((id) => {
    const def = VM_ACTIONS[id];
    const access = allowed(accessKey(ns, def.access));
    if (access === undefined) return { def, enabled: false, reason: { key: 'reason.checking' } };
    if (typeof access === 'object') return { def, enabled: false, reason: { key: 'reason.accessFailed', error: access.failed } };
    if (!access) {
      const resource = def.access.subresource ? `${def.access.resource}/${def.access.subresource}` : def.access.resource;
      return { def, enabled: false, reason: { key: 'reason.forbidden', verb: def.access.verb, resource } };
    }
    const a = def.applies(state);
    return a.ok ? { def, enabled: true } : { def, enabled: false, reason: { key: a.reasonKey } };
  });
}
