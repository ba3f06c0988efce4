import type { MessageKey } from '../i18n/locales';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from './types';
import { vmStatus, type PrintableStatus } from './status';
import { runStrategy } from './selectors';
import { activeMigration, migratable, migrationsOfVm, migrationTimeline, type Migratability } from './migrations';

// The VM lifecycle actions, each declared once: its label, the API call it makes, the access review that must
// allow it, and when it applies (with the reason shown when it does not). One menu component renders them all and
// one route executes them. The rules here only keep obviously useless clicks away; the API server still decides
// (for example a restart of a runStrategy Once VM is refused there, with its own reason).

export const VM_ACTION_IDS = ['start', 'stop', 'restart', 'pause', 'unpause', 'forceStop', 'migrate', 'cancelMigration', 'delete'] as const;
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
  resource: 'virtualmachines' | 'virtualmachineinstances' | 'virtualmachineinstancemigrations';
  subresource?: string; // a KubeVirt subresource; none: the object itself
  name?: string; // the object acted on when it is not the VM itself (a migration); none: the VM's name
  body: unknown;
}

// What an action is given besides the VM, once the route has checked it: the node a migration should go to, and
// the migration a cancel deletes (found by the route, lib/kubevirt/actions.ts does no I/O).
export interface ActionInput {
  node?: string;
  migration?: { name: string; uid?: string };
}

// The fields of the body of POST /api/vms/{ns}/{name}/actions/{action} (checked there with zod): each action names
// those it takes, and the route refuses any other.
export type ActionField = 'uid' | 'node' | 'migration';

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

export type Applicability = { ok: true } | { ok: false; reasonKey: ReasonKey; vars?: Record<string, string> };

export type ReasonKey =
  | 'reason.alreadyRunning'
  | 'reason.notRunning'
  | 'reason.notPaused'
  | 'reason.alreadyPaused'
  | 'reason.inTransition'
  | 'reason.terminating'
  // Live migration: why it cannot be migrated (lib/kubevirt/migrations.ts), or why there is nothing to cancel.
  | Extract<MessageKey, `migration.reason.${string}` | `migration.block.${string}`>;

export interface VmState {
  status: PrintableStatus;
  runStrategy: string;
  hasVmi: boolean;
  /** The LiveMigratable condition, read; undefined: not known (the menu then does not offer a migration). */
  migratable?: Migratability;
  /** The VM's unfinished migration: from its VMIMs when they are known, else from the VMI's migrationState. */
  migration?: { name?: string; cancelling: boolean };
}

export interface VmActionDef {
  id: VmActionId;
  labelKey: MessageKey;
  doneKey: MessageKey;
  danger: boolean;
  // 'typeNameIfRunning': deleting a running VM asks for its name to be typed. 'migrate': the migrate dialog, with
  // its target node picker (components/migrations/MigrateDialog.tsx).
  confirm: 'none' | 'simple' | 'typeNameIfRunning' | 'migrate';
  // The confirmation's sentence, for a 'simple' confirm ({name} is the VM's).
  confirmKey?: MessageKey;
  bulk: boolean;
  access: AccessAttributes;
  // The body fields the action takes (ActionField); none: an empty body.
  fields?: readonly ActionField[];
  // 'activeMigration': the action acts on the VM's unfinished migration, which the route finds (or checks, when
  // the browser names it) before the request is made.
  target?: 'activeMigration';
  request(vm: VmRef, input?: ActionInput): ActionRequest;
  applies(state: VmState): Applicability;
}

const vmSub = (subresource: string): AccessAttributes => ({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource });
const vmiSub = (subresource: string): AccessAttributes => ({ verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource });

const ok: Applicability = { ok: true };
const no = (reasonKey: ReasonKey, vars?: Record<string, string>): Applicability => ({ ok: false, reasonKey, ...(vars ? { vars } : {}) });

const UP: ReadonlySet<PrintableStatus> = new Set(['Running', 'Paused', 'Migrating']);
const TRANSITION: ReadonlySet<PrintableStatus> = new Set(['Starting', 'Stopping', 'Provisioning', 'WaitingForVolumeBinding']);

function action(def: Omit<VmActionDef, 'labelKey' | 'doneKey'> & Partial<Pick<VmActionDef, 'labelKey' | 'doneKey'>>): VmActionDef {
  return { labelKey: `action.${def.id}` as MessageKey, doneKey: `action.${def.id}.done` as MessageKey, ...def };
}

// KubeVirt migrates a Running VMI (a paused one too); one migration at a time, and only when LiveMigratable.
function migrateApplies(s: VmState): Applicability {
  if (s.status === 'Terminating') return no('reason.terminating');
  if (s.migration || s.status === 'Migrating') return no('migration.reason.inProgress');
  if (s.status !== 'Running' && s.status !== 'Paused') return no('reason.notRunning');
  const m = s.migratable ?? { ok: false, block: { key: 'migration.block.notReported' as const } };
  return m.ok ? ok : no(m.block.key as ReasonKey, m.block.vars);
}

function cancelApplies(s: VmState): Applicability {
  if (s.migration?.cancelling) return no('migration.reason.cancelling');
  return s.migration || s.status === 'Migrating' ? ok : no('migration.reason.noMigration');
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
  migrate: action({
    id: 'migrate',
    labelKey: 'migration.action.migrate',
    doneKey: 'migration.action.migrate.done',
    danger: false,
    confirm: 'migrate',
    bulk: false,
    access: vmSub('migrate'),
    fields: ['node'],
    // KubeVirt 1.6's MigrateOptions carries addedNodeSelector (as the VMIM's spec does): virt-api creates the
    // VirtualMachineInstanceMigration with it, so a chosen node needs no other permission than the migrate one.
    request: (_vm, input) => ({
      method: 'PUT',
      resource: 'virtualmachines',
      subresource: 'migrate',
      body: input?.node ? { addedNodeSelector: { 'kubernetes.io/hostname': input.node } } : {},
    }),
    applies: migrateApplies,
  }),
  cancelMigration: action({
    id: 'cancelMigration',
    labelKey: 'migration.action.cancel',
    doneKey: 'migration.action.cancel.done',
    danger: true,
    confirm: 'simple',
    confirmKey: 'migration.action.cancel.confirm',
    bulk: false,
    // Cancelling is deleting the VirtualMachineInstanceMigration; KubeVirt then aborts it (API-REFERENCE §5).
    access: { verb: 'delete', group: 'kubevirt.io', resource: 'virtualmachineinstancemigrations' },
    fields: ['migration'],
    target: 'activeMigration',
    request: (_vm, input) => {
      const m = input?.migration;
      if (!m) throw new Error('cancelMigration acts on a migration the route has found');
      return {
        method: 'DELETE',
        resource: 'virtualmachineinstancemigrations',
        name: m.name,
        // The uid precondition: a migration of the same name made meanwhile is not the one cancelled.
        body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(m.uid ? { preconditions: { uid: m.uid } } : {}) },
      };
    },
    applies: cancelApplies,
  }),
  delete: action({
    id: 'delete',
    danger: true,
    confirm: 'typeNameIfRunning',
    bulk: true,
    fields: ['uid'],
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

// The VMI's own record of a migration that has started and not ended (KubeVirt sets it from PreparingTarget on).
function vmiMigrating(vmi: VirtualMachineInstance | undefined): boolean {
  const s = vmi?.status?.migrationState;
  return Boolean(s?.startTimestamp && !s.endTimestamp && !s.completed && !s.failed);
}

/** migrations: the namespace's VMIMs (any VM's) when the page follows them; they tell a migration before it starts. */
export function vmState(vm: VirtualMachine, vmi?: VirtualMachineInstance, migrations?: readonly VirtualMachineInstanceMigration[]): VmState {
  const state: VmState = { status: vmStatus(vm), runStrategy: runStrategy(vm), hasVmi: Boolean(vmi) || vm.status?.created === true, migratable: migratable(vmi, vm) };
  const active = migrations ? activeMigration(migrationsOfVm(migrations, vm.metadata?.name ?? '', vm.metadata?.namespace)) : undefined;
  if (active) {
    const tl = migrationTimeline(active, vmi);
    state.migration = { name: tl.name, cancelling: tl.cancelling };
  } else if (!migrations && vmiMigrating(vmi)) state.migration = { cancelling: Boolean(vmi?.status?.migrationState?.abortRequested) };
  return state;
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
      reason: { key: ReasonKey; vars?: Record<string, string> } | { key: 'reason.forbidden'; verb: string; resource: string } | { key: 'reason.checking' } | { key: 'reason.accessFailed'; error: unknown };
    };

// What the menu shows for one VM: enabled actions, and disabled ones with why. `allowed` maps accessKey → answer.
export function menuEntries(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, allowed: (key: string) => AccessAnswer, migrations?: readonly VirtualMachineInstanceMigration[]): MenuEntry[] {
  const state = vmState(vm, vmi, migrations);
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
    return a.ok ? { def, enabled: true } : { def, enabled: false, reason: { key: a.reasonKey, ...(a.vars ? { vars: a.vars } : {}) } };
  });
}
