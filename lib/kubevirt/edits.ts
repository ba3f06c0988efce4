import { z } from 'zod';
import type { MessageKey } from '../i18n/locales';
import type { InstancetypeOption } from '../shared/create-api';
import { objectName } from '../shared/names';
import type { AccessAttributes } from './actions';
import { maxGuestMemory, maxVcpus, minGuestMemory, sizeQuantity } from './create/form';
import { isManagedKey, metadataProblems } from './metadata-keys';
import { parseQuantity } from './quantity';
import { runStrategy, vcpus } from './selectors';
import type { VirtualMachine } from './types';

// Editing a VM after it exists: its labels and annotations, its size (vCPUs and memory, or its instance type) and its
// run strategy. Each edit is declared once with the access review that must allow it; the form says what it wants
// (whole maps, whole values) and planEdit turns that into the JSON-patch operations of what actually changed, which
// the route sends as ONE patch behind a `test` of the resourceVersion the form was based on. Pure: the form checks
// its request with the same functions before anything is sent, the route again before anything is patched.

export const EDIT_IDS = ['editMetadata', 'editSize', 'editRunStrategy'] as const;
export type EditId = (typeof EDIT_IDS)[number];

// All three change the VirtualMachine object itself, not a subresource: a plain patch of virtualmachines.
export const VM_PATCH_ACCESS: AccessAttributes = { verb: 'patch', group: 'kubevirt.io', resource: 'virtualmachines' };

export type EditApplicability = { ok: true } | { ok: false; reasonKey: MessageKey; vars?: Record<string, string> };

export interface EditDef {
  id: EditId;
  labelKey: MessageKey;
  access: AccessAttributes;
  /** When KubeVirt would refuse the edit anyway, why (a hint only: the API server still decides). */
  applies(vm: VirtualMachine): EditApplicability;
}

const ok: EditApplicability = { ok: true };

// KubeVirt's VM admission refuses any change of the spec while a snapshot holds the VM, and a start while a restore
// writes it; the object's metadata stays editable.
function specLocked(vm: VirtualMachine): EditApplicability {
  if (vm.metadata?.deletionTimestamp) return { ok: false, reasonKey: 'reason.terminating' };
  const snapshot = vm.status?.snapshotInProgress;
  if (snapshot) return { ok: false, reasonKey: 'edit.reason.snapshotInProgress', vars: { name: snapshot } };
  return ok;
}

export const VM_EDITS: Record<EditId, EditDef> = {
  editMetadata: {
    id: 'editMetadata',
    labelKey: 'edit.section.metadata',
    access: VM_PATCH_ACCESS,
    applies: (vm) => (vm.metadata?.deletionTimestamp ? { ok: false, reasonKey: 'reason.terminating' } : ok),
  },
  editSize: {
    id: 'editSize',
    labelKey: 'edit.section.size',
    access: VM_PATCH_ACCESS,
    applies: (vm) => {
      const locked = specLocked(vm);
      if (!locked.ok) return locked;
      // An instance type inferred from a volume has no name to change; KubeVirt picks it from the volume's label.
      const it = vm.spec?.instancetype;
      if (it && !it.name) return { ok: false, reasonKey: 'edit.reason.inferredInstancetype' };
      return ok;
    },
  },
  editRunStrategy: {
    id: 'editRunStrategy',
    labelKey: 'edit.section.runStrategy',
    access: VM_PATCH_ACCESS,
    applies: (vm) => {
      const locked = specLocked(vm);
      if (!locked.ok) return locked;
      const restore = vm.status?.restoreInProgress;
      return restore ? { ok: false, reasonKey: 'edit.reason.restoreInProgress', vars: { name: restore } } : ok;
    },
  },
};

/** The access reviews the edit area asks, one per declared edit (useAccessChecks asks each distinct one once). */
export const EDIT_ACCESS: readonly AccessAttributes[] = EDIT_IDS.map((id) => VM_EDITS[id].access);

// The run strategies a user may choose. WaitAsReceiver (1.6) belongs to decentralized live migration, not to people.
export const RUN_STRATEGIES = ['Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once'] as const;
export type RunStrategy = (typeof RUN_STRATEGIES)[number];

// As the create wizard caps a self-service VM's vCPUs.
export const MAX_VCPUS = maxVcpus;

// ---------------------------------------------------------------------------------------------------------------
// What the form holds

export type SizeValue = { kind: 'custom'; cpu: number; memory: string } | { kind: 'instancetype'; name: string };

export interface EditValues {
  /** The user's labels: KubeVirt's own keys (isManagedKey) are not in here and are never changed. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  size: SizeValue;
  runStrategy: string;
}

type Meta = Record<string, string> | undefined;

export function userEntries(map: Meta): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !isManagedKey(k)));
}

export function managedEntries(map: Meta): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => isManagedKey(k)));
}

type Domain = NonNullable<NonNullable<NonNullable<VirtualMachine['spec']>['template']>['spec']>['domain'];
type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

const domainOf = (vm: VirtualMachine): Partial<Domain> => vm.spec?.template?.spec?.domain ?? {};
const resourcesOf = (d: Partial<Domain>): Resources => (d.resources ?? {}) as Resources;
const qText = (q: unknown): string | undefined => (q === undefined || q === null ? undefined : String(q));
const bytes = (q: unknown): number | undefined => parseQuantity(q);

// The guest's memory as the VM states it: memory.guest, else the memory request (KubeVirt derives the guest's from
// it), else the limit.
function memoryQuantity(vm: VirtualMachine): string | undefined {
  const d = domainOf(vm);
  const r = resourcesOf(d);
  return qText(d.memory?.guest) ?? qText(r.requests?.memory) ?? qText(r.limits?.memory);
}

const SIZE_TEXT = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

// In the form's syntax; another spelling ("1e9") as whole bytes.
function memoryText(vm: VirtualMachine): string {
  const q = memoryQuantity(vm);
  if (q === undefined) return '';
  if (SIZE_TEXT.test(q)) return q;
  const b = bytes(q);
  return b === undefined ? q : String(Math.ceil(b));
}

export function sizeValue(vm: VirtualMachine): SizeValue {
  const it = vm.spec?.instancetype;
  if (it) return { kind: 'instancetype', name: it.name ?? '' };
  return { kind: 'custom', cpu: vcpus(vm) ?? 1, memory: memoryText(vm) };
}

export function editValues(vm: VirtualMachine): EditValues {
  return {
    labels: userEntries(vm.metadata?.labels),
    annotations: userEntries(vm.metadata?.annotations),
    size: sizeValue(vm),
    runStrategy: runStrategy(vm),
  };
}

export function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

// "1Gi" and "1024Mi" are the same size: nothing to patch.
export function sameSize(a: SizeValue, b: SizeValue): boolean {
  if (a.kind === 'instancetype' || b.kind === 'instancetype') return a.kind === b.kind && (a as { name: string }).name === (b as { name: string }).name;
  const ma = bytes(a.memory);
  return a.cpu === b.cpu && (ma !== undefined ? ma === bytes(b.memory) : a.memory === b.memory);
}

// ---------------------------------------------------------------------------------------------------------------
// The request (POST /api/vms/{ns}/{name}/edit): the resourceVersion the form was based on, and the sections changed

const sizeChange = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('custom'), cpu: z.number().int().min(1, 'edit.error.cpu.range').max(MAX_VCPUS, 'edit.error.cpu.range'), memory: sizeQuantity }),
  z.strictObject({ kind: z.literal('instancetype'), name: objectName }),
]);

export const editRequest = z
  .strictObject({
    // Opaque to clients: compared for equality only, never as a number.
    resourceVersion: z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/),
    labels: z.record(z.string().max(317), z.string()).optional(),
    annotations: z.record(z.string().max(317), z.string()).optional(),
    size: sizeChange.optional(),
    runStrategy: z.enum(RUN_STRATEGIES).optional(),
  })
  .superRefine((r, ctx) => {
    if (!r.labels && !r.annotations && !r.size && !r.runStrategy) ctx.addIssue({ code: 'custom', message: 'edit.error.nothing', path: [] });
    for (const which of ['labels', 'annotations'] as const) {
      const map = r[which];
      if (map) for (const p of metadataProblems(which, map)) ctx.addIssue({ code: 'custom', message: p.problem, path: p.part === 'map' ? [which] : [which, p.key] });
    }
    const memory = r.size?.kind === 'custom' ? memoryProblem(r.size.memory) : undefined;
    if (memory) ctx.addIssue({ code: 'custom', message: memory.key, path: ['size', 'memory'] });
  });

export type EditRequest = z.output<typeof editRequest>;

/** GET /api/vms/{ns}/{name}/edit: what the form may offer (the cluster's instance types, when they may be read). */
export interface EditOptions {
  instancetypes: InstancetypeOption[];
  unavailable: boolean;
}

/** POST /api/vms/{ns}/{name}/edit answers with the edits made and the VM's version after them. */
export interface EditResponse {
  ok: true;
  changes: EditId[];
  resourceVersion: string;
}

/** The declared edits a request asks for (its sections), for the change log. */
export function requestedEdits(req: Omit<EditRequest, 'resourceVersion'>): EditId[] {
  return EDIT_IDS.filter((id) => (id === 'editMetadata' ? Boolean(req.labels || req.annotations) : id === 'editSize' ? Boolean(req.size) : Boolean(req.runStrategy)));
}

/** The bounds the create wizard holds a guest's memory to, as a message key and its parameters. */
export function memoryProblem(memory: string): { key: MessageKey; vars?: Record<string, string> } | undefined {
  if (!SIZE_TEXT.test(memory)) return { key: 'create.error.size.invalid' };
  const b = bytes(memory)!;
  if (b < bytes(minGuestMemory)!) return { key: 'create.error.memory.tooSmall', vars: { min: minGuestMemory } };
  if (b > bytes(maxGuestMemory)!) return { key: 'create.error.memory.tooLarge', vars: { max: maxGuestMemory } };
  return undefined;
}

/** The request for what changed between the values the form started from and those it holds; undefined: nothing. */
export function editBody(resourceVersion: string, base: EditValues, values: EditValues): EditRequest | undefined {
  const body: EditRequest = { resourceVersion };
  if (!sameMap(base.labels, values.labels)) body.labels = values.labels;
  if (!sameMap(base.annotations, values.annotations)) body.annotations = values.annotations;
  if (!sameSize(base.size, values.size)) body.size = values.size;
  if (base.runStrategy !== values.runStrategy) body.runStrategy = values.runStrategy as RunStrategy;
  return Object.keys(body).length > 1 ? body : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON patch

export type PatchOp = { op: 'add' | 'replace' | 'test'; path: string; value: unknown } | { op: 'remove'; path: string };

/** RFC 6901: '~' first, then '/', so "a/b~c" is "a~1b~0c" and not read back as another key. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const at = (...tokens: string[]) => tokens.map((t) => `/${escapePointer(t)}`).join('');

/** What the VM's state or spec does not allow of a request the schema accepted; `field` is a path in the request. */
export class EditRefusal extends Error {
  constructor(
    readonly field: string,
    readonly key: MessageKey,
    readonly vars?: Record<string, string | number>,
  ) {
    super(key);
  }
}

function mapOps(vm: VirtualMachine, which: 'labels' | 'annotations', desired: Record<string, string>): PatchOp[] {
  const current = vm.metadata?.[which] as Meta;
  if (!current) return Object.keys(desired).length ? [{ op: 'add', path: at('metadata', which), value: { ...desired } }] : [];
  const ops: PatchOp[] = [];
  for (const k of Object.keys(current)) if (!isManagedKey(k) && !Object.hasOwn(desired, k)) ops.push({ op: 'remove', path: at('metadata', which, k) });
  for (const [k, v] of Object.entries(desired)) {
    if (!Object.hasOwn(current, k)) ops.push({ op: 'add', path: at('metadata', which, k), value: v });
    else if (current[k] !== v) ops.push({ op: 'replace', path: at('metadata', which, k), value: v });
  }
  return ops;
}

const DOMAIN = ['spec', 'template', 'spec', 'domain'];
const set = (exists: boolean, path: string, value: unknown): PatchOp => ({ op: exists ? 'replace' : 'add', path, value });

// The vCPU count goes where the VM keeps it: the axis it already spreads its vCPUs on (cores as the wizard writes
// them, sockets as KubeVirt's defaults and its CPU hotplug use), the other two factors kept.
function cpuOps(vm: VirtualMachine, n: number): PatchOp[] {
  if (vcpus(vm) === n) return [];
  const cpu = domainOf(vm).cpu;
  if (!cpu) return [{ op: 'add', path: at(...DOMAIN, 'cpu'), value: { sockets: n } }];
  const axis = (cpu.cores ?? 0) > 1 ? 'cores' : (cpu.sockets ?? 0) > 1 ? 'sockets' : cpu.cores !== undefined ? 'cores' : 'sockets';
  const per = axis === 'cores' ? (cpu.sockets || 1) * (cpu.threads || 1) : (cpu.cores || 1) * (cpu.threads || 1);
  if (n % per !== 0) throw new EditRefusal('size.cpu', 'edit.error.cpu.notDivisible', { per });
  // With the LiveUpdate rollout KubeVirt refuses more sockets than maxSockets.
  if (axis === 'sockets' && cpu.maxSockets && n / per > cpu.maxSockets) throw new EditRefusal('size.cpu', 'edit.error.cpu.aboveMax', { max: cpu.maxSockets * per });
  return [set(cpu[axis] !== undefined, at(...DOMAIN, 'cpu', axis), n / per)];
}

// The memory goes where the VM states it. A request or limit that equalled the guest memory was following it and
// follows it to the new size; one set apart from it (an overcommit, a burstable limit) is the owner's choice and stays.
function memoryOps(vm: VirtualMachine, memory: string): PatchOp[] {
  const d = domainOf(vm);
  const r = resourcesOf(d);
  const want = bytes(memory)!;
  const current = bytes(memoryQuantity(vm));
  if (current === want) return [];
  const maxGuest = d.memory?.maxGuest;
  if (maxGuest !== undefined && bytes(maxGuest) !== undefined && want > bytes(maxGuest)!) {
    throw new EditRefusal('size.memory', 'edit.error.memory.aboveMax', { max: String(maxGuest) });
  }
  const follows = (q: unknown) => q !== undefined && current !== undefined && bytes(q) === current;
  const ops: PatchOp[] = [];
  const request = r.requests?.memory;
  const limit = r.limits?.memory;
  let limitFollows = false;
  if (d.memory?.guest !== undefined) {
    ops.push({ op: 'replace', path: at(...DOMAIN, 'memory', 'guest'), value: memory });
    if (follows(request)) ops.push({ op: 'replace', path: at(...DOMAIN, 'resources', 'requests', 'memory'), value: memory });
    limitFollows = follows(limit);
  } else if (request !== undefined) {
    ops.push({ op: 'replace', path: at(...DOMAIN, 'resources', 'requests', 'memory'), value: memory });
    limitFollows = follows(limit);
  } else if (limit !== undefined) {
    limitFollows = true;
  } else {
    ops.push(d.memory ? { op: 'add', path: at(...DOMAIN, 'memory', 'guest'), value: memory } : { op: 'add', path: at(...DOMAIN, 'memory'), value: { guest: memory } });
  }
  if (limitFollows) ops.push({ op: 'replace', path: at(...DOMAIN, 'resources', 'limits', 'memory'), value: memory });
  else if (limit !== undefined && bytes(limit) !== undefined && want > bytes(limit)!) {
    throw new EditRefusal('size.memory', 'edit.error.memory.aboveLimit', { limit: String(limit) });
  }
  return ops;
}

const CLUSTER_KINDS = new Set(['virtualmachineclusterinstancetype', 'virtualmachineclusterinstancetypes']);

// A different cluster instance type: its name, the cluster kind, and no revisionName. KubeVirt pins the instance
// type a VM started with in a ControllerRevision named by revisionName; a new name with the old revision is refused
// ("the Matcher Name has been updated without updating the RevisionName"), and without one KubeVirt stores a new.
function instancetypeOps(vm: VirtualMachine, name: string): PatchOp[] {
  const it = vm.spec?.instancetype;
  if (!it) throw new EditRefusal('size', 'edit.error.size.notInstancetype');
  if (it.inferFromVolume) throw new EditRefusal('size', 'edit.reason.inferredInstancetype');
  const cluster = !it.kind || CLUSTER_KINDS.has(it.kind.toLowerCase());
  if (it.name === name && cluster) return [];
  const ops: PatchOp[] = [set(it.name !== undefined, at('spec', 'instancetype', 'name'), name)];
  if (!cluster) ops.push({ op: 'replace', path: at('spec', 'instancetype', 'kind'), value: 'VirtualMachineClusterInstancetype' });
  if (it.revisionName) ops.push({ op: 'remove', path: at('spec', 'instancetype', 'revisionName') });
  return ops;
}

function sizeOps(vm: VirtualMachine, size: SizeValue): PatchOp[] {
  if (size.kind === 'instancetype') return instancetypeOps(vm, size.name);
  if (vm.spec?.instancetype) throw new EditRefusal('size', 'edit.error.size.hasInstancetype', { name: vm.spec.instancetype.name ?? '' });
  return [...cpuOps(vm, size.cpu), ...memoryOps(vm, size.memory)];
}

// spec.running (deprecated) and spec.runStrategy are mutually exclusive: a VM still on running moves to runStrategy.
function runStrategyOps(vm: VirtualMachine, wanted: string): PatchOp[] {
  if (runStrategy(vm) === wanted) return [];
  const spec = vm.spec ?? ({} as NonNullable<VirtualMachine['spec']>);
  const ops: PatchOp[] = [];
  if (spec.running !== undefined && spec.running !== null) ops.push({ op: 'remove', path: at('spec', 'running') });
  ops.push(set(spec.runStrategy !== undefined && spec.runStrategy !== null, at('spec', 'runStrategy'), wanted));
  return ops;
}

export interface EditChange {
  id: EditId;
  /** The JSON pointers patched, for the log. */
  paths: string[];
}

export interface EditPlan {
  ops: PatchOp[];
  changes: EditChange[];
}

/** The operations of what the request changes on this VM (without the resourceVersion test). Throws EditRefusal. */
export function planEdit(vm: VirtualMachine, req: Omit<EditRequest, 'resourceVersion'>): EditPlan {
  const sections: [EditId, PatchOp[]][] = [];
  if (req.labels || req.annotations) {
    if (req.annotations) {
      const kept = managedEntries(vm.metadata?.annotations);
      const tooLarge = metadataProblems('annotations', req.annotations, kept).find((p) => p.part === 'map');
      if (tooLarge) throw new EditRefusal('annotations', tooLarge.problem);
    }
    sections.push(['editMetadata', [...(req.labels ? mapOps(vm, 'labels', req.labels) : []), ...(req.annotations ? mapOps(vm, 'annotations', req.annotations) : [])]]);
  }
  if (req.size) sections.push(['editSize', sizeOps(vm, req.size)]);
  if (req.runStrategy) sections.push(['editRunStrategy', runStrategyOps(vm, req.runStrategy)]);
  const changed = sections.filter(([, ops]) => ops.length > 0);
  return { ops: changed.flatMap(([, ops]) => ops), changes: changed.map(([id, ops]) => ({ id, paths: ops.map((o) => o.path) })) };
}

/** The one patch sent: refused by the API server if the VM is no longer the version the form was based on. */
export function editPatch(resourceVersion: string, plan: EditPlan): PatchOp[] {
  return [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...plan.ops];
}

// ---------------------------------------------------------------------------------------------------------------
// After a refusal because the VM changed meanwhile: the user's own edits carried onto the latest version

function mergeMap(base: Record<string, string>, mine: Record<string, string>, latest: Record<string, string>): Record<string, string> {
  const out = { ...latest };
  for (const k of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    const had = Object.hasOwn(base, k);
    const has = Object.hasOwn(mine, k);
    if (had === has && base[k] === mine[k]) continue; // not touched by the user: the latest version's stands
    if (has) out[k] = mine[k]!;
    else delete out[k];
  }
  return out;
}

/**
 * A three-way merge: what the user changed (base → mine) applied to the latest version, everything else as the
 * latest version has it, so a save after it neither loses the user's typing nor undoes someone else's change.
 */
export function rebaseEdit(base: EditValues, mine: EditValues, latest: EditValues): EditValues {
  const sizeTouched = !sameSize(base.size, mine.size) && mine.size.kind === latest.size.kind;
  return {
    labels: mergeMap(base.labels, mine.labels, latest.labels),
    annotations: mergeMap(base.annotations, mine.annotations, latest.annotations),
    size: sizeTouched ? mine.size : latest.size,
    runStrategy: mine.runStrategy !== base.runStrategy ? mine.runStrategy : latest.runStrategy,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// KubeVirt's RestartRequired condition: a change to the VM that the running guest gets only when it restarts

export interface RestartRequired {
  message?: string;
  reason?: string;
  since?: string;
}

export function restartRequired(vm: VirtualMachine): RestartRequired | undefined {
  const c = vm.status?.conditions?.find((x) => x.type === 'RestartRequired' && x.status === 'True');
  if (!c) return undefined;
  // The generated type leaves the condition's timestamps out; the API server sends them.
  const since = (c as { lastTransitionTime?: string }).lastTransitionTime;
  return { ...(c.message ? { message: c.message } : {}), ...(c.reason ? { reason: c.reason } : {}), ...(since ? { since } : {}) };
}
