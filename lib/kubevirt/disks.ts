import { z } from 'zod';
import type { V1AddVolumeOptions, V1Disk, V1RemoveVolumeOptions, V1Volume, V1VolumeStatus } from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import type { MessageKey } from '../i18n/locales';
import type { StorageClassOption } from '../shared/create-api';
import { objectName } from '../shared/names';
import type { AccessAnswer, AccessAttributes } from './actions';
import { accessModes, sizeQuantity, volumeModes } from './create/form';
import { parseQuantity } from './quantity';
import { vmStatus } from './status';
import type { VirtualMachine, VirtualMachineInstance } from './types';

// A VM's disks on its page (the Disks tab): each disk of the VM's template joined with its volume, its claim and
// what the running VMI reports of it; and the changes the tab makes, each declared once with the access reviews
// that must allow it: hot-plugging a disk (a new blank DataVolume, or a claim that exists), removing a hot-plugged
// one, and expanding a claim. Pure: the route makes the calls (lib/k8s/disks.ts), the tab renders the rows.

// ---- Operations and their access ----------------------------------------------------------------------------------

export const DISK_ACCESS = {
  addVolume: { verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'addvolume' },
  removeVolume: { verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'removevolume' },
  createDataVolume: { verb: 'create', group: 'cdi.kubevirt.io', resource: 'datavolumes' },
  patchClaim: { verb: 'patch', group: '', resource: 'persistentvolumeclaims' },
} as const satisfies Record<string, AccessAttributes>;

export const DISK_OPERATION_IDS = ['addBlank', 'addClaim', 'remove', 'expand'] as const;
export type DiskOperationId = (typeof DISK_OPERATION_IDS)[number];

export interface DiskOperation {
  id: DiskOperationId;
  labelKey: MessageKey;
  // Every review must allow it: a blank disk is a DataVolume made and then hot-plugged.
  access: readonly AccessAttributes[];
}

export const DISK_OPERATIONS: Record<DiskOperationId, DiskOperation> = {
  addBlank: { id: 'addBlank', labelKey: 'disks.add.blank', access: [DISK_ACCESS.addVolume, DISK_ACCESS.createDataVolume] },
  addClaim: { id: 'addClaim', labelKey: 'disks.add.claim', access: [DISK_ACCESS.addVolume] },
  remove: { id: 'remove', labelKey: 'disks.remove', access: [DISK_ACCESS.removeVolume] },
  expand: { id: 'expand', labelKey: 'disks.expand', access: [DISK_ACCESS.patchClaim] },
};

/** The reviews the tab asks, once per namespace. */
export const DISK_ACCESS_CHECKS: readonly AccessAttributes[] = Object.values(DISK_ACCESS);

/** "virtualmachines/addvolume" or "persistentvolumeclaims": how a refused review names the resource. */
export const accessResource = (a: AccessAttributes): string => (a.subresource ? `${a.resource}/${a.subresource}` : a.group ? `${a.resource}.${a.group}` : a.resource);

export type DiskReasonKey = Extract<MessageKey, `disks.reason.${string}`> | 'reason.terminating';

export type DiskApplicability = { ok: true } | { ok: false; reasonKey: DiskReasonKey; vars?: Record<string, string> };

export type OperationState =
  | { enabled: true }
  | {
      enabled: false;
      reason: { key: DiskReasonKey; vars?: Record<string, string> } | { key: 'reason.forbidden'; verb: string; resource: string } | { key: 'reason.checking' } | { key: 'reason.accessFailed'; error: unknown };
    };

/** Enabled, or why not: a review that refuses (or is still asked) first, then what the disk's state allows. */
export function operationState(op: DiskOperation, allowed: (a: AccessAttributes) => AccessAnswer, applies: DiskApplicability = { ok: true }): OperationState {
  for (const a of op.access) {
    const answer = allowed(a);
    if (answer === undefined) return { enabled: false, reason: { key: 'reason.checking' } };
    if (typeof answer === 'object') return { enabled: false, reason: { key: 'reason.accessFailed', error: answer.failed } };
    if (!answer) return { enabled: false, reason: { key: 'reason.forbidden', verb: a.verb, resource: accessResource(a) } };
  }
  if (!applies.ok) return { enabled: false, reason: { key: applies.reasonKey, ...(applies.vars ? { vars: applies.vars } : {}) } };
  return { enabled: true };
}

// ---- Requests ------------------------------------------------------------------------------------------------------

// KubeVirt hot-plugs disks on the SCSI bus (virt-api refused any other before 1.3, and SCSI is accepted by all).
export const HOTPLUG_BUS = 'scsi';

// A disk's name is its volume's: a DNS-1123 label, as KubeVirt's volume names are.
export const diskName = z
  .string()
  .min(1, 'disks.error.nameRequired')
  .max(63, 'disks.error.nameTooLong')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'disks.error.nameInvalid');

const MIN_BLANK_BYTES = 1024 ** 2;

/** Bytes of a size quantity, or undefined when it is not a whole, finite, positive amount. */
export function storageBytes(q: string | undefined): number | undefined {
  if (!q || !sizeQuantity.safeParse(q).success) return undefined;
  const n = parseQuantity(q);
  if (n === undefined || !Number.isFinite(n) || n <= 0) return undefined;
  const whole = Math.ceil(n);
  return Number.isSafeInteger(whole) ? whole : undefined;
}

const storageSize = z
  .string()
  .max(32)
  .refine((s) => storageBytes(s) !== undefined, 'disks.error.sizeInvalid');

// The body of POST /api/vms/{ns}/{name}/disks: a new blank disk of a class and size, or a claim that exists.
export const addDiskRequest = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('blank'),
    name: diskName,
    size: storageSize.refine((s) => (storageBytes(s) ?? 0) >= MIN_BLANK_BYTES, 'disks.error.sizeTooSmall'),
    storageClass: objectName.optional(),
    accessMode: z.enum(accessModes).optional(),
    volumeMode: z.enum(volumeModes).optional(),
  }),
  z.strictObject({ source: z.literal('claim'), name: diskName, claim: objectName }),
]);
export type AddDiskRequest = z.output<typeof addDiskRequest>;

// The body of PATCH /api/vms/{ns}/{name}/disks/{disk}: the claim's new size.
export const expandDiskRequest = z.strictObject({ size: storageSize });
export type ExpandDiskRequest = z.output<typeof expandDiskRequest>;

// GET /api/vms/{ns}/{name}/disks: the storage classes a new disk may use and a claim may grow on. A part the user
// may not read is left empty and named in `unavailable`.
export interface DiskOptions {
  storageClasses: StorageClassOption[];
  unavailable: string[];
}

export interface AddDiskResponse {
  ok: true;
  disk: string;
  claim: string;
  // The DataVolume made for a blank disk.
  dataVolume?: string;
}

/** The claim (and DataVolume) a new blank disk gets: "{vm}-{disk}", within a name's 253 characters. */
export function blankClaimName(vm: string, disk: string): string {
  return `${vm}-${disk}`.slice(0, 253).replace(/[-.]+$/, '');
}

export interface BlankDisk {
  namespace: string;
  vm: { name: string; uid?: string };
  name: string; // the DataVolume's (and so the claim's) name
  size: string;
  storageClass?: string;
  accessMode?: string;
  volumeMode?: string;
}

/**
 * A blank DataVolume for a hot-plugged disk. Owned by the VM (not as its controller, so KubeVirt's VM controller
 * leaves it alone), so the disk goes with the VM. `storage` rather than `pvc`: CDI fills what is left out (class,
 * access and volume mode) from the class's StorageProfile, as the create wizard's disks do.
 */
export function blankDataVolume(d: BlankDisk) {
  return {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: {
      name: d.name,
      namespace: d.namespace,
      ...(d.vm.uid ? { ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: d.vm.name, uid: d.vm.uid }] } : {}),
    },
    spec: {
      source: { blank: {} },
      storage: {
        resources: { requests: { storage: d.size } },
        ...(d.storageClass ? { storageClassName: d.storageClass } : {}),
        ...(d.accessMode ? { accessModes: [d.accessMode] } : {}),
        ...(d.volumeMode ? { volumeMode: d.volumeMode } : {}),
      },
    },
  };
}

export type HotplugSource = { dataVolume: string } | { claim: string };

/** virt-api's AddVolumeOptions: the disk on the SCSI bus, its volume hot-pluggable; dryRun ["All"] validates only. */
export function addVolumeOptions(disk: string, source: HotplugSource, dryRun = false): V1AddVolumeOptions {
  return {
    name: disk,
    disk: { name: disk, disk: { bus: HOTPLUG_BUS } },
    volumeSource: 'dataVolume' in source ? { dataVolume: { name: source.dataVolume, hotpluggable: true } } : { persistentVolumeClaim: { claimName: source.claim, hotpluggable: true } },
    ...(dryRun ? { dryRun: ['All'] } : {}),
  };
}

export function removeVolumeOptions(disk: string): V1RemoveVolumeOptions {
  return { name: disk };
}

/**
 * A JSON merge patch of a claim's requested size. The resourceVersion makes it apply only to the claim as it was
 * read (and checked): a change in between is a 409, not a silent overwrite.
 */
export function claimExpansionPatch(size: string, resourceVersion?: string) {
  return { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), spec: { resources: { requests: { storage: size } } } };
}

// ---- Claims --------------------------------------------------------------------------------------------------------

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** core/v1 PersistentVolumeClaim, the fields the tab reads. */
export interface ClaimLike {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; deletionTimestamp?: string; uid?: string };
  spec?: { storageClassName?: string; accessModes?: string[]; volumeMode?: string; volumeName?: string; resources?: { requests?: { storage?: string } } };
  status?: {
    phase?: string;
    accessModes?: string[];
    capacity?: { storage?: string };
    allocatedResources?: { storage?: string };
    // ControllerResizeInProgress, ControllerResizeInfeasible, NodeResizePending, NodeResizeInProgress, NodeResizeInfeasible
    allocatedResourceStatuses?: { storage?: string };
    conditions?: Condition[];
  };
}

export type ResizeStep = 'waiting' | 'controller' | 'fileSystem' | 'node';

export type ResizeState =
  | { kind: 'none' }
  | { kind: 'resizing'; step: ResizeStep; to: string; from?: string; message?: string }
  | { kind: 'failed'; to?: string; message?: string };

const trueCondition = (c: ClaimLike, type: string) => c.status?.conditions?.find((x) => x.type === type && x.status === 'True');

/**
 * Where a claim's expansion is: none in progress (its capacity holds what it asks for), in progress and at which
 * step (the external resizer grows the volume, then the kubelet grows its file system where a pod uses it), or
 * failed with Kubernetes' reason. Read from spec.resources.requests against status.capacity, the Resizing and
 * FileSystemResizePending conditions and status.allocatedResourceStatuses.
 */
export function claimResize(c: ClaimLike): ResizeState {
  const to = c.spec?.resources?.requests?.storage;
  const from = c.status?.capacity?.storage;
  const step = c.status?.allocatedResourceStatuses?.storage ?? '';
  const error = trueCondition(c, 'ControllerResizeError') ?? trueCondition(c, 'NodeResizeError');
  if (step.endsWith('Infeasible') || error) return { kind: 'failed', ...(to ? { to } : {}), ...(error?.message ? { message: error.message } : {}) };
  const want = parseQuantity(to);
  const have = parseQuantity(from);
  if (!to || want === undefined || have === undefined || want <= have) return { kind: 'none' };
  const fs = trueCondition(c, 'FileSystemResizePending');
  const resizing = trueCondition(c, 'Resizing');
  const at: ResizeStep = fs || step === 'NodeResizePending' ? 'fileSystem' : step === 'NodeResizeInProgress' ? 'node' : resizing || step === 'ControllerResizeInProgress' ? 'controller' : 'waiting';
  const message = (fs ?? resizing)?.message;
  return { kind: 'resizing', step: at, to, ...(from ? { from } : {}), ...(message ? { message } : {}) };
}

export type ExpandProblem = { key: 'disks.error.sizeInvalid' } | { key: 'disks.error.notLarger'; vars: { current: string } } | { key: 'disks.reason.claimNotBound' } | { key: 'disks.reason.notExpandable'; vars: { storageClass: string } };

/**
 * Whether a claim may grow to `size`: a bound claim, a class that allows expansion (undefined: not known, the API
 * server decides), and more than it has and asks for already (Kubernetes never shrinks a claim).
 */
export function checkExpansion(c: ClaimLike, size: string, classAllows: boolean | undefined): ExpandProblem | undefined {
  const want = storageBytes(size);
  if (want === undefined) return { key: 'disks.error.sizeInvalid' };
  if (c.status?.phase !== 'Bound') return { key: 'disks.reason.claimNotBound' };
  if (classAllows === false) return { key: 'disks.reason.notExpandable', vars: { storageClass: c.spec?.storageClassName ?? '' } };
  const requested = c.spec?.resources?.requests?.storage;
  const capacity = c.status?.capacity?.storage;
  const current = Math.max(parseQuantity(requested) ?? 0, parseQuantity(capacity) ?? 0);
  if (want <= current) return { key: 'disks.error.notLarger', vars: { current: (parseQuantity(capacity) ?? 0) >= (parseQuantity(requested) ?? 0) ? (capacity ?? '') : (requested ?? '') } };
  return undefined;
}

// ---- Rows ------------------------------------------------------------------------------------------------------------

export const VOLUME_KINDS = [
  'containerDisk',
  'cloudInitNoCloud',
  'cloudInitConfigDrive',
  'dataVolume',
  'persistentVolumeClaim',
  'emptyDisk',
  'ephemeral',
  'hostDisk',
  'configMap',
  'secret',
  'serviceAccount',
  'downwardAPI',
  'downwardMetrics',
  'sysprep',
  'memoryDump',
] as const;
export type VolumeKind = (typeof VOLUME_KINDS)[number] | 'other';

export function volumeKind(v: V1Volume | undefined): VolumeKind {
  if (!v) return 'other';
  return VOLUME_KINDS.find((k) => (v as unknown as Record<string, unknown>)[k] !== undefined) ?? 'other';
}

/** The claim a volume uses: its own, or the DataVolume's (CDI names the claim after the DataVolume). */
export function claimOf(v: V1Volume | undefined): string | undefined {
  return v?.persistentVolumeClaim?.claimName ?? v?.dataVolume?.name ?? v?.memoryDump?.claimName;
}

function sourceOf(v: V1Volume | undefined): string | undefined {
  return v?.containerDisk?.image ?? claimOf(v) ?? v?.configMap?.name ?? v?.secret?.secretName ?? v?.hostDisk?.path ?? v?.serviceAccount?.serviceAccountName;
}

const isHotpluggable = (v: V1Volume | undefined) => Boolean(v?.persistentVolumeClaim?.hotpluggable || v?.dataVolume?.hotpluggable);

/**
 * What the guest has of a disk:
 * - attached: in the running guest (a hot-plugged one once KubeVirt reports its volume Ready);
 * - attaching: in the VM's spec, KubeVirt is plugging it into the running guest (its hotplug phase, when reported);
 * - requested: asked of KubeVirt (addvolume), not yet in the VM's spec;
 * - detaching: leaving the running guest (removevolume asked, or no longer in the spec);
 * - thisRunOnly: in the running guest but not in the VM's spec (hot-plugged to the VMI alone): a restart drops it;
 * - restartNeeded: in the VM's spec, not in the running guest, and not hot-pluggable: it comes with a restart;
 * - notRunning: the VM has no running guest; the disk is attached when it starts.
 */
export type GuestState =
  | { kind: 'attached' }
  | { kind: 'attaching'; phase?: string; reason?: string; message?: string }
  | { kind: 'requested' }
  | { kind: 'detaching'; phase?: string }
  | { kind: 'thisRunOnly' }
  | { kind: 'restartNeeded' }
  | { kind: 'notRunning' };

export interface ClaimFacts {
  name: string;
  // False when the claim is not in the list the tab follows (not there, or not readable).
  known: boolean;
  phase?: string;
  capacity?: string;
  request?: string;
  storageClass?: string;
  accessModes: string[];
  volumeMode?: string;
  resize: ResizeState;
}

export interface DiskRow {
  name: string;
  device: 'disk' | 'cdrom' | 'lun' | 'none';
  bus?: string;
  volumeKind: VolumeKind;
  source?: string;
  dataVolume?: string;
  claim?: ClaimFacts;
  hotpluggable: boolean;
  // In the VM's template (false: a pending request, or a volume only the VMI still has).
  inSpec: boolean;
  guest: GuestState;
  // What the VMI reports of the volume (hot-plugged volumes have a phase).
  volumeStatus?: { phase?: string; reason?: string; message?: string; target?: string };
}

type VolumeRequest = { addVolumeOptions?: V1AddVolumeOptions; removeVolumeOptions?: V1RemoveVolumeOptions };
const volumeRequests = (vm: VirtualMachine): VolumeRequest[] => (vm.status?.volumeRequests ?? []) as VolumeRequest[];

const DETACHING_PHASES: ReadonlySet<string> = new Set(['Detaching', 'UnMountedFromPod']);

/**
 * A VMI whose guest runs (paused or migrating included): KubeVirt hot-plugs only into a Running one. One that is
 * starting gets what its spec has when it boots; one that ended, or is being deleted, has no guest to plug into.
 */
export function liveVmi(vmi: VirtualMachineInstance | undefined): VirtualMachineInstance | undefined {
  return vmi && !vmi.metadata?.deletionTimestamp && vmi.status?.phase === 'Running' ? vmi : undefined;
}

function claimFacts(name: string, claims: readonly ClaimLike[] | undefined, status: V1VolumeStatus | undefined): ClaimFacts {
  const c = claims?.find((x) => x.metadata?.name === name);
  // The VMI's view of the claim stands in when the claim itself cannot be read.
  const info = status?.persistentVolumeClaimInfo;
  return {
    name,
    known: Boolean(c),
    phase: c?.status?.phase,
    capacity: c?.status?.capacity?.storage ?? info?.capacity?.storage,
    request: c?.spec?.resources?.requests?.storage ?? info?.requests?.storage,
    storageClass: c?.spec?.storageClassName,
    accessModes: c?.status?.accessModes ?? c?.spec?.accessModes ?? (info?.accessModes as string[] | undefined) ?? [],
    volumeMode: c?.spec?.volumeMode ?? info?.volumeMode,
    resize: c ? claimResize(c) : { kind: 'none' },
  };
}

function deviceOf(d: V1Disk | undefined): Pick<DiskRow, 'device' | 'bus'> {
  if (!d) return { device: 'none' };
  const device = d.cdrom ? 'cdrom' : d.lun ? 'lun' : 'disk';
  const bus = d.disk?.bus ?? d.cdrom?.bus ?? d.lun?.bus;
  return { device, ...(bus ? { bus } : {}) };
}

function row(name: string, disk: V1Disk | undefined, volume: V1Volume | undefined, status: V1VolumeStatus | undefined, claims: readonly ClaimLike[] | undefined, inSpec: boolean, guest: GuestState): DiskRow {
  const claim = claimOf(volume);
  const source = sourceOf(volume);
  return {
    name,
    ...deviceOf(disk),
    volumeKind: volumeKind(volume),
    ...(source ? { source } : {}),
    ...(volume?.dataVolume?.name ? { dataVolume: volume.dataVolume.name } : {}),
    ...(claim ? { claim: claimFacts(claim, claims, status) } : {}),
    hotpluggable: isHotpluggable(volume),
    inSpec,
    guest,
    ...(status ? { volumeStatus: { phase: status.phase, reason: status.reason, message: status.message, target: status.target } } : {}),
  };
}

/**
 * Every disk of the VM: its template's disks with their volumes, then disks asked for and not yet in the template
 * (status.volumeRequests), then volumes the running VMI still has and the template no longer does. `claims`: the
 * namespace's claims, when the tab may read them.
 */
export function vmDiskRows(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, claims?: readonly ClaimLike[]): DiskRow[] {
  const spec = vm.spec?.template?.spec;
  const volumes = new Map((spec?.volumes ?? []).map((v) => [v.name, v]));
  const running = liveVmi(vmi);
  const vmiVolumes = new Map((running?.spec?.volumes ?? []).map((v) => [v.name, v]));
  const vmiDisks = new Map((running?.spec?.domain?.devices?.disks ?? []).map((d) => [d.name, d]));
  const statuses = new Map((running?.status?.volumeStatus ?? []).map((s) => [s.name, s]));
  const requests = volumeRequests(vm);
  const removing = new Set(requests.flatMap((r) => (r.removeVolumeOptions?.name ? [r.removeVolumeOptions.name] : [])));
  const rows: DiskRow[] = [];
  const seen = new Set<string>();

  for (const d of spec?.domain?.devices?.disks ?? []) {
    const v = volumes.get(d.name);
    const st = statuses.get(d.name);
    let guest: GuestState;
    if (!running) guest = { kind: 'notRunning' };
    else if (removing.has(d.name)) guest = { kind: 'detaching', ...(st?.phase ? { phase: st.phase } : {}) };
    else if (isHotpluggable(v)) {
      guest =
        st?.phase === 'Ready'
          ? { kind: 'attached' }
          : { kind: 'attaching', ...(st?.phase ? { phase: st.phase } : {}), ...(st?.reason ? { reason: st.reason } : {}), ...(st?.message ? { message: st.message } : {}) };
    } else guest = vmiVolumes.has(d.name) ? { kind: 'attached' } : { kind: 'restartNeeded' };
    rows.push(row(d.name, d, v, st, claims, true, guest));
    seen.add(d.name);
  }

  for (const r of requests) {
    const add = r.addVolumeOptions;
    if (!add?.name || seen.has(add.name)) continue;
    const v = { name: add.name, ...add.volumeSource } as V1Volume;
    rows.push(row(add.name, add.disk, v, undefined, claims, false, { kind: 'requested' }));
    seen.add(add.name);
  }

  if (running) {
    const leftovers = [...new Set([...vmiVolumes.keys(), ...statuses.keys()])].filter((n) => !seen.has(n));
    for (const n of leftovers) {
      const st = statuses.get(n);
      const v = vmiVolumes.get(n);
      // A volume the VMI's spec no longer lists is on its way out; one it lists was plugged into this run alone.
      const guest: GuestState = !v || DETACHING_PHASES.has(st?.phase ?? '') ? { kind: 'detaching', ...(st?.phase ? { phase: st.phase } : {}) } : { kind: 'thisRunOnly' };
      rows.push(row(n, vmiDisks.get(n), v, st, claims, false, guest));
    }
  }
  return rows;
}

/** Names a new disk cannot take: the template's disks and volumes, and those asked for already. */
export function takenDiskNames(vm: VirtualMachine): Set<string> {
  const spec = vm.spec?.template?.spec;
  return new Set([
    ...(spec?.domain?.devices?.disks ?? []).map((d) => d.name),
    ...(spec?.volumes ?? []).map((v) => v.name),
    ...volumeRequests(vm).flatMap((r) => (r.addVolumeOptions?.name ? [r.addVolumeOptions.name] : [])),
  ]);
}

/** The first "disk-N" not taken. */
export function nextDiskName(taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`disk-${i}`)) return `disk-${i}`;
}

/** The claims a disk can be made of: bound, not being deleted, not used by this VM already. */
export function attachableClaims<C extends ClaimLike>(claims: readonly C[], vm: VirtualMachine): C[] {
  const used = new Set((vm.spec?.template?.spec?.volumes ?? []).map(claimOf).filter(Boolean));
  for (const r of volumeRequests(vm)) {
    const s = r.addVolumeOptions?.volumeSource;
    const c = s?.persistentVolumeClaim?.claimName ?? s?.dataVolume?.name;
    if (c) used.add(c);
  }
  return claims.filter((c) => c.status?.phase === 'Bound' && !c.metadata?.deletionTimestamp && !used.has(c.metadata?.name)).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

// ---- When each operation applies ------------------------------------------------------------------------------------

const ok: DiskApplicability = { ok: true };
const no = (reasonKey: DiskReasonKey, vars?: Record<string, string>): DiskApplicability => ({ ok: false, reasonKey, ...(vars ? { vars } : {}) });

export function addApplies(vm: VirtualMachine): DiskApplicability {
  return vm.metadata?.deletionTimestamp || vmStatus(vm) === 'Terminating' ? no('reason.terminating') : ok;
}

export function removeApplies(r: DiskRow): DiskApplicability {
  if (r.guest.kind === 'detaching') return no('disks.reason.removing');
  if (!r.inSpec) return no('disks.reason.notInSpec');
  return r.hotpluggable ? ok : no('disks.reason.notHotplugged');
}

/** classAllows: the claim's class allows expansion (undefined: the classes could not be read; the API server decides). */
export function expandApplies(r: DiskRow, classAllows: boolean | undefined): DiskApplicability {
  const c = r.claim;
  if (!c) return no('disks.reason.noClaim');
  if (!c.known) return no('disks.reason.claimUnknown', { claim: c.name });
  if (c.phase !== 'Bound') return no('disks.reason.claimNotBound');
  if (classAllows === false) return no('disks.reason.notExpandable', { storageClass: c.storageClass ?? '' });
  return ok;
}
