// The lifecycle subresources (pkg/virt-api/rest/lifecycle.go): start / stop / restart on VirtualMachines answer
// 202 after patching the VM (spec.runStrategy or spec.running, or status.stateChangeRequests through /status);
// pause / unpause / reset / softreboot on VirtualMachineInstances answer 200 after acting on the domain the way
// virt-handler and virt-launcher do (QMP stop / cont / system_reset, guest-agent guest-shutdown reboot).
import {
  type Deps,
  type DomainLike,
  fetchVM,
  fetchVMI,
  findVMI,
  handlerConnectionError,
  handlerFailure,
  noCommandSocket,
} from './context.ts';
import { hasCondition, hasTrueCondition } from '../kubevirt/conditions.ts';
import { vmPath, vmiPath } from '../kubevirt/paths.ts';
import { isFinal, isRunning, phaseOf } from '../kubevirt/phase.ts';
import { runStrategy } from '../kubevirt/run-strategy.ts';
import type { StateChangeRequest, VM, VMI } from '../kubevirt/types.ts';
import { type Reply, empty, replyOf } from './reply.ts';
import {
  type DecodedOptions,
  type OptionsType,
  PauseOptions,
  RestartOptions,
  StartOptions,
  StopOptions,
  UnpauseOptions,
  decodeBody,
  unmarshalErrorMessage,
} from './request.ts';
import {
  type Status,
  StatusError,
  apiErrorMessage,
  badRequest,
  conflict,
  forbidden,
  internalError,
  vmResource,
  vmiResource,
} from './status.ts';

export interface JsonPatchOp {
  op: 'test' | 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** What a VM lifecycle request comes down to once the VM (and its VMI) are known. */
export type Plan =
  | { kind: 'error'; status: Status }
  /** A JSON patch on the VM itself (spec.runStrategy / spec.running). */
  | { kind: 'patch-spec'; patch: JsonPatchOp[] }
  /** A JSON patch on the VM's /status subresource (stateChangeRequests). */
  | { kind: 'patch-status'; patch: JsonPatchOp[] }
  /** A run strategy virt-api has no case for (e.g. WaitAsReceiver): accepted without doing anything. */
  | { kind: 'none' };

export type RestartPlan = Plan | { kind: 'patch-status'; patch: JsonPatchOp[]; deleteLauncherPod: boolean };

export const vmNotRunning = 'VM is not running';
export const vmiNotRunning = 'VMI is not running';
export const vmiNotPaused = 'VMI is not paused';
export const jsonpatchTestErr = 'jsonpatch test operation does not apply';
export const alreadyUnderway = 'unable to complete request: stop/start already underway';
export const manualRecoveryRequired =
  'VM recovery required: Volume migration failed, leaving some volumes pointing to non-consistent targets; manual intervention is needed to reassign them to their original volumes.';

const vmConflict = (vm: VM, why: string): Plan => ({ kind: 'error', status: conflict(vmResource, vm.metadata.name, why) });
const internal = (why: string): Plan => ({ kind: 'error', status: internalError(why) });

// ---------------------------------------------------------------------------------------------------------------
// Patches

/** VirtualMachineStatus fields that are pointers in Go: present (even empty) means not the zero value. */
const pointerStatusFields = new Set(['snapshotInProgress', 'restoreInProgress', 'startFailure', 'memoryDumpRequest', 'volumeUpdateState']);

/** equality.Semantic.DeepEqual(vm.Status, VirtualMachineStatus{}): every field at its zero value (nil = empty slice). */
export function isEmptyStatus(status: object | undefined | null): boolean {
  if (!status) return true;
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined || v === null) continue;
    if (pointerStatusFields.has(k)) return false;
    if (v === false || v === 0 || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    return false;
  }
  return true;
}

/**
 * getChangeRequestJson: a JSON patch for the VM's /status that queues the given state change requests.
 * An entirely empty status is added whole; otherwise the current list is tested and the new one added (when the
 * list is empty) or replaces it (only for a single Stop). A leftover startFailure is removed.
 */
export function changeRequestPatch(vm: VM, changes: StateChangeRequest[]): JsonPatchOp[] | { error: string } {
  const ops: JsonPatchOp[] = [];
  const status = vm.status;
  if (isEmptyStatus(status)) {
    ops.push({ op: 'add', path: '/status', value: { stateChangeRequests: changes } });
  } else {
    const current = status?.stateChangeRequests ?? null;
    ops.push({ op: 'test', path: '/status/stateChangeRequests', value: current });
    if (!current || current.length === 0) ops.push({ op: 'add', path: '/status/stateChangeRequests', value: changes });
    else if (changes.length === 1 && changes[0]?.action === 'Stop') ops.push({ op: 'replace', path: '/status/stateChangeRequests', value: changes });
    else return { error: alreadyUnderway };
  }
  if (status?.startFailure !== undefined && status.startFailure !== null) ops.push({ op: 'remove', path: '/status/startFailure' });
  return ops;
}

/** getRunningPatch: test + replace of spec.runStrategy (Always / Halted), or of the legacy spec.running. */
export function runningPatch(vm: VM, running: boolean): JsonPatchOp[] {
  const strategy = vm.spec?.runStrategy;
  if (strategy !== undefined && strategy !== null) {
    return [
      { op: 'test', path: '/spec/runStrategy', value: strategy },
      { op: 'replace', path: '/spec/runStrategy', value: running ? 'Always' : 'Halted' },
    ];
  }
  return [
    { op: 'test', path: '/spec/running', value: vm.spec?.running ?? null },
    { op: 'replace', path: '/spec/running', value: running },
  ];
}

const statusPlan = (p: JsonPatchOp[] | { error: string }): Plan =>
  Array.isArray(p) ? { kind: 'patch-status', patch: p } : internal(p.error);

const startRequest = (paused: boolean): StateChangeRequest =>
  paused ? { action: 'Start', data: { paused: 'true' } } : { action: 'Start' };
const stopRequest = (vmi: VMI): StateChangeRequest => ({ action: 'Stop', uid: vmi.metadata.uid ?? '' });

// ---------------------------------------------------------------------------------------------------------------
// start / stop / restart: the decisions

/** The checks start makes before it reads its body: a live VMI, or a VM that needs manual recovery. */
export function startConflict(vm: VM, vmi: VMI | undefined): Status | undefined {
  if (vmi && !isFinal(vmi) && phaseOf(vmi) !== 'Unknown' && phaseOf(vmi) !== '') return conflict(vmResource, vm.metadata.name, 'VM is already running');
  if (hasTrueCondition(vm, 'ManualRecoveryRequired')) return conflict(vmResource, vm.metadata.name, manualRecoveryRequired);
  return undefined;
}

/** StartVMRequestHandler after the fetches. */
export function planStart(vm: VM, vmi: VMI | undefined, opts: DecodedOptions): Plan {
  const pre = startConflict(vm, vmi);
  if (pre) return { kind: 'error', status: pre };
  const rs = runStrategy(vm);
  if (rs.error !== undefined) return internal(rs.error);
  const paused = opts.paused === true;
  switch (rs.strategy) {
    case 'Halted':
      // A paused start goes through a Start request (virt-controller then flips the strategy to Always and creates
      // the VMI with startStrategy Paused). virt-api's "already Paused" shortcut compares pointers, so it never hits.
      if (paused) return statusPlan(changeRequestPatch(vm, [startRequest(true)]));
      return { kind: 'patch-spec', patch: runningPatch(vm, true) };
    case 'RerunOnFailure':
    case 'Manual': {
      let needsRestart = false;
      if ((rs.strategy === 'RerunOnFailure' && vmi && phaseOf(vmi) === 'Succeeded') || (rs.strategy === 'Manual' && vmi && isFinal(vmi))) {
        needsRestart = true;
      } else if (rs.strategy === 'RerunOnFailure' && vmi && phaseOf(vmi) === 'Failed') {
        return vmConflict(vm, 'RerunOnFailure does not support starting VM from failed state');
      }
      const changes = needsRestart && vmi ? [stopRequest(vmi), startRequest(paused)] : [startRequest(paused)];
      return statusPlan(changeRequestPatch(vm, changes));
    }
    case 'Always':
    case 'Once':
      return vmConflict(vm, `${rs.strategy} does not support manual start requests`);
    default:
      return { kind: 'none' };
  }
}

/**
 * StopVMRequestHandler after the fetches. `vmiPatch` (a shorter grace period on the VMI) is applied first, before
 * the strategy decides, even when the answer then is a conflict.
 */
export function planStop(
  vm: VM,
  vmi: VMI | undefined,
  opts: DecodedOptions,
): { vmiPatch?: JsonPatchOp[]; plan: Plan } {
  const rs = runStrategy(vm);
  if (rs.error !== undefined) return { plan: internal(rs.error) };
  const live = !!vmi && !isFinal(vmi);
  const grace = opts.gracePeriod;
  const oldGrace = vmi?.spec?.terminationGracePeriodSeconds;
  let vmiPatch: JsonPatchOp[] | undefined;
  if (live && grace !== undefined) {
    vmiPatch = [
      { op: 'test', path: '/spec/terminationGracePeriodSeconds', value: oldGrace ?? null },
      { op: 'replace', path: '/spec/terminationGracePeriodSeconds', value: grace },
    ];
  }
  const withPatch = (plan: Plan) => (vmiPatch ? { vmiPatch, plan } : { plan });
  switch (rs.strategy) {
    case 'Halted':
      if (!vmi || !live) return withPatch(vmConflict(vm, vmNotRunning));
      if (grace === undefined || (oldGrace !== undefined && oldGrace !== null && grace >= oldGrace)) {
        return withPatch(vmConflict(vm, 'Halted only supports manual stop requests with a shorter graceperiod'));
      }
      return withPatch(statusPlan(changeRequestPatch(vm, [stopRequest(vmi)])));
    case 'RerunOnFailure':
    case 'Manual':
      if (!vmi || !live) return withPatch(vmConflict(vm, vmNotRunning));
      return withPatch(statusPlan(changeRequestPatch(vm, [stopRequest(vmi)])));
    case 'Always':
    case 'Once':
      return withPatch({ kind: 'patch-spec', patch: runningPatch(vm, false) });
    default:
      return withPatch({ kind: 'none' });
  }
}

/** RestartVMRequestHandler's body checks (before the VM is even fetched). */
export function restartOptionsError(opts: DecodedOptions): Status | undefined {
  const g = opts.gracePeriodSeconds;
  if (g === undefined) return undefined;
  if (g > 0) return badRequest('For force restart, only gracePeriod=0 is supported for now');
  if (g < 0) return badRequest('gracePeriod has to be greater or equal to 0');
  return undefined;
}

/** Restart's checks on the VM alone (before the VMI is fetched). */
export function restartPrecheck(vm: VM): Status | undefined {
  if (hasTrueCondition(vm, 'VolumesChange')) return conflict(vmResource, vm.metadata.name, manualRecoveryRequired);
  const rs = runStrategy(vm);
  if (rs.error !== undefined) return internalError(rs.error);
  if (rs.strategy === 'Halted' || rs.strategy === 'Once') {
    return conflict(vmResource, vm.metadata.name, `RunStategy ${rs.strategy} does not support manual restart requests`);
  }
  return undefined;
}

/** RestartVMRequestHandler after the fetches: Stop (this VMI) + Start, and a pod kill for gracePeriodSeconds 0. */
export function planRestart(vm: VM, vmi: VMI | undefined, opts: DecodedOptions): RestartPlan {
  const bad = restartOptionsError(opts);
  if (bad) return { kind: 'error', status: bad };
  const pre = restartPrecheck(vm);
  if (pre) return { kind: 'error', status: pre };
  if (!vmi) return vmConflict(vm, 'VM is not running: Halted');
  const p = changeRequestPatch(vm, [stopRequest(vmi), { action: 'Start' }]);
  if (!Array.isArray(p)) return internal(p.error);
  return { kind: 'patch-status', patch: p, deleteLauncherPod: opts.gracePeriodSeconds === 0 };
}

/** A failed VM patch: a JSON-patch test failure is a Conflict, anything else an InternalError. */
export function patchFailure(name: string, e: unknown): Status {
  const msg = apiErrorMessage(e);
  if (msg.includes(jsonpatchTestErr)) return conflict(vmResource, name, msg);
  return internalError(msg);
}

// ---------------------------------------------------------------------------------------------------------------
// start / stop / restart: the handlers

function decodeOrThrow(body: string, type: OptionsType): DecodedOptions {
  const r = decodeBody(body, type);
  if (!r.ok) throw new StatusError(badRequest(unmarshalErrorMessage(r.error)));
  return r.value;
}

const dryRunQuery = (dryRun: string[] | undefined) =>
  dryRun && dryRun.length > 0 ? `?${dryRun.map((d) => `dryRun=${encodeURIComponent(d)}`).join('&')}` : '';

async function applyPlan(deps: Deps, ns: string, vm: VM, plan: Plan, dryRun: string[] | undefined): Promise<Reply> {
  const name = vm.metadata.name;
  switch (plan.kind) {
    case 'error':
      return { type: 'status', status: plan.status };
    case 'none':
      return empty(202);
    case 'patch-spec':
    case 'patch-status': {
      const path = vmPath(ns, name) + (plan.kind === 'patch-status' ? '/status' : '') + dryRunQuery(dryRun);
      try {
        await deps.kube.patch(path, plan.patch, 'json');
      } catch (e) {
        return { type: 'status', status: patchFailure(name, e) };
      }
      return empty(202);
    }
  }
}

export function startVM(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const vm = await fetchVM(deps.kube, ns, name);
    const vmi = await findVMI(deps.kube, ns, name);
    const pre = startConflict(vm, vmi);
    if (pre) return { type: 'status', status: pre };
    const opts = decodeOrThrow(body, StartOptions);
    return applyPlan(deps, ns, vm, planStart(vm, vmi, opts), opts.dryRun);
  });
}

export function stopVM(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const opts = decodeOrThrow(body, StopOptions);
    const vm = await fetchVM(deps.kube, ns, name);
    const rs = runStrategy(vm);
    if (rs.error !== undefined) return { type: 'status', status: internalError(rs.error) };
    const vmi = await findVMI(deps.kube, ns, name);
    const { vmiPatch, plan } = planStop(vm, vmi, opts);
    if (vmiPatch && vmi) {
      try {
        await deps.kube.patch(vmiPath(ns, vmi.metadata.name) + dryRunQuery(opts.dryRun), vmiPatch, 'json');
      } catch (e) {
        return { type: 'status', status: internalError(apiErrorMessage(e)) };
      }
    }
    return applyPlan(deps, ns, vm, plan, opts.dryRun);
  });
}

interface PodList {
  items: { metadata: { name: string } }[];
}

/** findPod: the Running virt-launcher pod of the VMI (the migration target when a finished migration left two). */
async function findLauncherPod(deps: Deps, ns: string, vmi: VMI): Promise<string> {
  const labels = `kubevirt.io=virt-launcher,kubevirt.io/created-by=${vmi.metadata.uid ?? ''}`;
  const q = `labelSelector=${encodeURIComponent(labels)}&fieldSelector=${encodeURIComponent('status.phase==Running')}`;
  const list = await deps.kube.get<PodList>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods?${q}`);
  const pods = list.items ?? [];
  if (pods.length === 0) return '';
  if (pods.length === 1) return pods[0]!.metadata.name;
  const ms = vmi.status?.migrationState;
  if (ms && ms.completed) return pods.find((p) => p.metadata.name === ms.targetPod)?.metadata.name ?? '';
  return pods[0]!.metadata.name;
}

export function restartVM(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const opts = decodeOrThrow(body, RestartOptions);
    const bad = restartOptionsError(opts);
    if (bad) return { type: 'status', status: bad };
    const vm = await fetchVM(deps.kube, ns, name);
    const pre = restartPrecheck(vm);
    if (pre) return { type: 'status', status: pre };
    const vmi = await findVMI(deps.kube, ns, name);
    const plan = planRestart(vm, vmi, opts);
    const reply = await applyPlan(deps, ns, vm, plan, opts.dryRun);
    if (reply.type !== 'empty' || plan.kind !== 'patch-status' || !('deleteLauncherPod' in plan) || !plan.deleteLauncherPod || !vmi) {
      return reply;
    }
    // Force restart: CRDs have no grace period of their own, so virt-api kills the launcher pod with 1 s. As in
    // virt-api, this happens even for a dry run (only the patch carries dryRun).
    try {
      const pod = await findLauncherPod(deps, ns, vmi);
      if (pod) {
        await deps.kube.delete(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}`, {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          gracePeriodSeconds: 1,
        });
      }
    } catch (e) {
      return { type: 'status', status: internalError(apiErrorMessage(e)) };
    }
    return reply;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// pause / unpause / reset / softreboot

type Validate = (vmi: VMI) => Status | undefined;

const vmiConflict = (vmi: VMI, why: string) => conflict(vmiResource, vmi.metadata.name, why);

export const validatePause: Validate = (vmi) => {
  if (!isRunning(vmi)) return vmiConflict(vmi, vmNotRunning);
  if (vmi.spec?.livenessProbe !== undefined && vmi.spec.livenessProbe !== null) {
    return forbidden(vmiResource, vmi.metadata.name, 'Pausing VMIs with LivenessProbe is currently not supported');
  }
  if (hasCondition(vmi, 'Paused')) return vmiConflict(vmi, 'VMI is already paused');
  return undefined;
};

export const validateUnpause: Validate = (vmi) => {
  if (!isRunning(vmi)) return vmiConflict(vmi, vmiNotRunning);
  if (!hasCondition(vmi, 'Paused')) return vmiConflict(vmi, vmiNotPaused);
  return undefined;
};

export const validateSoftReboot: Validate = (vmi) => {
  if (!isRunning(vmi)) return vmiConflict(vmi, vmNotRunning);
  if (hasTrueCondition(vmi, 'Paused')) return vmiConflict(vmi, 'VMI is paused');
  if (!hasCondition(vmi, 'AgentConnected')) {
    const features = vmi.spec?.domain?.features;
    if (features && features.acpi?.enabled === false) return vmiConflict(vmi, 'VMI neither have the agent connected nor the ACPI feature enabled');
  }
  return undefined;
};

/** reset's errorPostProcessing: a VMI that is not Running gets the reason why the reset may have failed. */
export function resetErrorMessage(vmi: VMI | undefined, message: string): string {
  if (vmi && !isRunning(vmi)) return `Failed to reset non-running VMI with phase ${phaseOf(vmi)}: ${message}`;
  return message;
}

interface VmiAction {
  validate?: Validate;
  dryRun?: boolean;
  postProcess?: (vmi: VMI | undefined, message: string) => string;
  act: (domain: DomainLike, vmi: VMI) => Promise<void>;
}

/** putRequestHandlerWithErrorPostProcessing: fetch, validate, reach the node, then act (unless dry run); 200. */
async function vmiAction(deps: Deps, ns: string, name: string, a: VmiAction): Promise<Reply> {
  const post = a.postProcess ?? ((_v, m) => m);
  let vmi: VMI | undefined;
  try {
    vmi = await fetchVMI(deps.kube, ns, name);
  } catch (e) {
    if (e instanceof StatusError) return { type: 'status', status: { ...e.status, message: post(undefined, e.status.message) } };
    throw e;
  }
  const invalid = a.validate?.(vmi);
  if (invalid) return { type: 'status', status: { ...invalid, message: post(vmi, invalid.message) } };
  const connErr = handlerConnectionError(vmi);
  if (connErr) return { type: 'status', status: badRequest(post(vmi, connErr)) };
  if (a.dryRun) return empty(200);
  const domain = deps.domains(ns, name);
  if (!domain) return { type: 'status', status: internalError(post(vmi, noCommandSocket(vmi))) };
  try {
    await a.act(domain, vmi);
  } catch (e) {
    return { type: 'status', status: internalError(post(vmi, handlerFailure(e instanceof Error ? e.message : String(e)))) };
  }
  return empty(200);
}

const isDryRunAll = (opts: DecodedOptions) => opts.dryRun?.[0] === 'All';

export function pauseVMI(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const opts = decodeOrThrow(body, PauseOptions);
    return vmiAction(deps, ns, name, {
      validate: validatePause,
      dryRun: isDryRunAll(opts),
      act: async (d) => {
        await d.qmp.execute('stop');
      },
    });
  });
}

export function unpauseVMI(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const opts = decodeOrThrow(body, UnpauseOptions);
    return vmiAction(deps, ns, name, {
      validate: validateUnpause,
      dryRun: isDryRunAll(opts),
      act: async (d) => {
        await d.qmp.execute('cont');
      },
    });
  });
}

export function resetVMI(deps: Deps, ns: string, name: string): Promise<Reply> {
  return replyOf(() =>
    vmiAction(deps, ns, name, {
      postProcess: resetErrorMessage,
      act: async (d) => {
        await d.qmp.execute('system_reset');
      },
    }),
  );
}

/**
 * softreboot: with the agent connected, virt-launcher asks it for a reboot (guest-shutdown mode reboot, which
 * sends no reply on success: a sync that worked followed by silence is success); otherwise a system reset.
 */
export function softRebootVMI(deps: Deps, ns: string, name: string): Promise<Reply> {
  return replyOf(() =>
    vmiAction(deps, ns, name, {
      validate: validateSoftReboot,
      act: async (d, vmi) => {
        if (!hasCondition(vmi, 'AgentConnected')) {
          await d.qmp.execute('system_reset');
          return;
        }
        try {
          await d.agent.call('guest-shutdown', { mode: 'reboot' }, 2000);
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          if (msg.includes('"guest-shutdown"') && msg.includes('did not answer')) return;
          throw e;
        }
      },
    }),
  );
}
