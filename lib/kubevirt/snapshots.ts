import type { MessageKey } from '../i18n/locales';
import type { AccessAttributes } from './actions';
import { vmStatus } from './status';
import type { VirtualMachine, VirtualMachineClone, VirtualMachineInstance, VirtualMachineRestore, VirtualMachineSnapshot } from './types';

// Snapshots, restores and clones of a VM: the operations declared once (with the access review each needs), pure
// builders of the objects they create, and pure readers of what KubeVirt writes back (phases, indications, excluded
// volumes and their reasons, restore and clone progress) as message keys. KubeVirt 1.4-1.6, API-REFERENCE.md §6.

// ---------------------------------------------------------------------------------------------------------------
// The operations

export const SNAPSHOT_OP_IDS = ['takeSnapshot', 'deleteSnapshot', 'restore', 'clone'] as const;
export type SnapshotOpId = (typeof SNAPSHOT_OP_IDS)[number];

export interface SnapshotOpDef {
  id: SnapshotOpId;
  labelKey: MessageKey;
  access: AccessAttributes;
}

const SNAPSHOT_GROUP = 'snapshot.kubevirt.io';
const CLONE_GROUP = 'clone.kubevirt.io';

export const SNAPSHOT_OPS: Record<SnapshotOpId, SnapshotOpDef> = {
  takeSnapshot: { id: 'takeSnapshot', labelKey: 'snapshot.op.take', access: { verb: 'create', group: SNAPSHOT_GROUP, resource: 'virtualmachinesnapshots' } },
  deleteSnapshot: { id: 'deleteSnapshot', labelKey: 'snapshot.op.delete', access: { verb: 'delete', group: SNAPSHOT_GROUP, resource: 'virtualmachinesnapshots' } },
  // Restoring a running VM in place also needs the VM stopped (and started again after): the page checks those
  // with the VM actions' own reviews (VM_ACTIONS.stop / start).
  restore: { id: 'restore', labelKey: 'snapshot.op.restore', access: { verb: 'create', group: SNAPSHOT_GROUP, resource: 'virtualmachinerestores' } },
  // KubeVirt's clone controller makes the interim snapshot, restore and the new VM with its own identity; the user
  // only needs to create the VirtualMachineClone.
  clone: { id: 'clone', labelKey: 'snapshot.op.clone', access: { verb: 'create', group: CLONE_GROUP, resource: 'virtualmachineclones' } },
};

// One constant array: useAccessChecks keys its query on it.
export const SNAPSHOT_ACCESS: readonly AccessAttributes[] = SNAPSHOT_OP_IDS.map((id) => SNAPSHOT_OPS[id].access);

// ---------------------------------------------------------------------------------------------------------------
// Names

// The guest's own choice of words for a snapshot: KubeVirt has no description field, so it travels as the
// annotation the KubeVirt UI (kubevirt-plugin) reads and writes for it.
export const DESCRIPTION_ANNOTATION = 'description';
// Set on a restore for which the portal stopped the VM, so a page opened later can say why the VM is stopped and
// offer to start it.
export const STOPPED_FOR_RESTORE_ANNOTATION = 'kubevirt-portal/stopped-for-restore';

export const MAX_DESCRIPTION = 1000;
export const DEFAULT_FAILURE_DEADLINE_MINUTES = 5; // KubeVirt's own default
export const MAX_FAILURE_DEADLINE_MINUTES = 24 * 60;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15); // 20260102-101500

// A prefix cut so the whole name stays a DNS-1123 label (63), without a trailing hyphen at the cut.
function base(name: string, room: number): string {
  return name.slice(0, Math.max(1, room)).replace(/-+$/, '');
}

/** "<vm>-snapshot-20260102-101500": sorts by time, and says whose it is in a namespace-wide list. */
export function defaultSnapshotName(vm: string, now: Date): string {
  const tail = `snapshot-${stamp(now)}`;
  return `${base(vm, 63 - tail.length - 1)}-${tail}`;
}

export function restoreObjectName(target: string, now: Date): string {
  const tail = `restore-${stamp(now)}`;
  return `${base(target, 63 - tail.length - 1)}-${tail}`;
}

/** suffix: a few random [a-z0-9] (the route's), so cloning to a name used before does not meet the old object. */
export function cloneObjectName(target: string, suffix: string): string {
  const tail = `clone-${suffix}`;
  return `${base(target, 63 - tail.length - 1)}-${tail}`;
}

export function defaultCloneTarget(vm: string): string {
  return `${base(vm, 63 - 6)}-clone`;
}

// ---------------------------------------------------------------------------------------------------------------
// Builders

export const SNAPSHOT_API_VERSION = 'snapshot.kubevirt.io/v1beta1';
export const CLONE_API_VERSION = 'clone.kubevirt.io/v1beta1';

const vmRef = (name: string) => ({ apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name });

export interface SnapshotInput {
  namespace: string;
  vm: string;
  name: string;
  description?: string;
  failureDeadlineMinutes?: number;
}

export function buildSnapshot(i: SnapshotInput): VirtualMachineSnapshot {
  const description = i.description?.trim();
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: 'VirtualMachineSnapshot',
    metadata: { name: i.name, namespace: i.namespace, ...(description ? { annotations: { [DESCRIPTION_ANNOTATION]: description } } : {}) },
    spec: {
      source: vmRef(i.vm),
      // A Go duration: KubeVirt marks the snapshot Failed ("snapshot deadline exceeded") once it has passed.
      ...(i.failureDeadlineMinutes !== undefined ? { failureDeadline: `${i.failureDeadlineMinutes}m` } : {}),
    },
  };
}

export interface RestoreInput {
  namespace: string;
  name: string;
  snapshot: string;
  target: string;
  /** The portal has just asked the VM to stop: KubeVirt is to wait until it has, however long the guest takes. */
  stoppedByPortal?: boolean;
  /** JSON patches for a new VM (newVmPatches). */
  patches?: string[];
}

export function buildRestore(i: RestoreInput): VirtualMachineRestore {
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: 'VirtualMachineRestore',
    metadata: { name: i.name, namespace: i.namespace, ...(i.stoppedByPortal ? { annotations: { [STOPPED_FOR_RESTORE_ANNOTATION]: 'true' } } : {}) },
    spec: {
      target: vmRef(i.target),
      virtualMachineSnapshotName: i.snapshot,
      // The default (WaitGracePeriod) fails the restore when the VM is still up after a grace period; a guest that
      // shuts down slowly would fail it for no fault of the user's.
      ...(i.stoppedByPortal ? { targetReadinessPolicy: 'WaitEventually' } : {}),
      ...(i.patches?.length ? { patches: i.patches } : {}),
    },
  };
}

type VmSpecLike = { template?: { spec?: { domain?: { devices?: { interfaces?: { macAddress?: string }[] }; firmware?: { uuid?: string; serial?: string } } } } };

/**
 * A restore to a new VM copies the snapshot's VM: a fixed MAC address or firmware identity would then be on two
 * machines at once. These JSON patches (VirtualMachineRestore spec.patches, applied to the new VM) remove them, so
 * KubeVirt gives the new VM its own, as a clone does.
 */
export function newVmPatches(spec: VmSpecLike | undefined): string[] {
  const out: string[] = [];
  const domain = spec?.template?.spec?.domain;
  (domain?.devices?.interfaces ?? []).forEach((iface, i) => {
    if (iface.macAddress) out.push(JSON.stringify({ op: 'remove', path: `/spec/template/spec/domain/devices/interfaces/${i}/macAddress` }));
  });
  if (domain?.firmware?.uuid) out.push(JSON.stringify({ op: 'remove', path: '/spec/template/spec/domain/firmware/uuid' }));
  if (domain?.firmware?.serial) out.push(JSON.stringify({ op: 'remove', path: '/spec/template/spec/domain/firmware/serial' }));
  return out;
}

export interface CloneInput {
  namespace: string;
  name: string;
  vm: string;
  /** Clone the VM as it was in this snapshot of it; none: as it is now. */
  snapshot?: string;
  target: string;
}

// No newMacAddresses and no newSMBiosSerial: KubeVirt then generates new ones for the target, which is what a copy
// beside its source needs.
export function buildClone(i: CloneInput): VirtualMachineClone {
  return {
    apiVersion: CLONE_API_VERSION,
    kind: 'VirtualMachineClone',
    metadata: { name: i.name, namespace: i.namespace },
    spec: {
      source: i.snapshot ? { apiGroup: SNAPSHOT_GROUP, kind: 'VirtualMachineSnapshot', name: i.snapshot } : vmRef(i.vm),
      target: vmRef(i.target),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Which of a VM's volumes a snapshot includes, and why not

export interface VolumeExclusion {
  volume: string;
  key: MessageKey;
  vars: Record<string, string>;
  /** KubeVirt's own words, as it wrote them (English). */
  kubevirtReason?: string;
  /** The volume is a claim (a PVC or DataVolume): leaving it out loses data, unlike a container disk's. */
  claim: boolean;
}

const VOLUME_KINDS = [
  'persistentVolumeClaim',
  'dataVolume',
  'containerDisk',
  'cloudInitNoCloud',
  'cloudInitConfigDrive',
  'emptyDisk',
  'ephemeral',
  'hostDisk',
  'configMap',
  'secret',
  'serviceAccount',
  'sysprep',
  'downwardAPI',
  'downwardMetrics',
  'memoryDump',
] as const;

type VolumeLike = Record<string, unknown> & { name: string; persistentVolumeClaim?: { claimName?: string }; dataVolume?: { name?: string } };

const volumesOf = (vm: VirtualMachine | undefined): VolumeLike[] => (vm?.spec?.template?.spec?.volumes ?? []) as unknown as VolumeLike[];

/** The kind of a volume's source as KubeVirt's API names it (containerDisk, persistentVolumeClaim, ...). */
export function volumeKind(vm: VirtualMachine | undefined, volume: string): string | undefined {
  const v = volumesOf(vm).find((x) => x.name === volume);
  if (!v) return undefined;
  return VOLUME_KINDS.find((k) => v[k] !== undefined) ?? Object.keys(v).find((k) => k !== 'name');
}

/** The claim behind a volume: a PVC by its name, a DataVolume by its own (its claim has the same name). */
export function claimOf(vm: VirtualMachine | undefined, volume: string): string | undefined {
  const v = volumesOf(vm).find((x) => x.name === volume);
  return v?.persistentVolumeClaim?.claimName ?? v?.dataVolume?.name;
}

const isClaimKind = (k: string | undefined) => k === 'persistentVolumeClaim' || k === 'dataVolume' || k === 'memoryDump';

// KubeVirt's reasons (pkg/storage/snapshot: volumeSnapshotStatuses), read into plain words.
export function exclusionOf(volume: string, reason: string | undefined, vm?: VirtualMachine): VolumeExclusion {
  const kind = volumeKind(vm, volume);
  const claim = isClaimKind(kind);
  const r = reason ?? '';
  const noClass = /^No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass \[([^\]]*)\]/.exec(r);
  if (noClass) return { volume, key: 'snapshot.excluded.noClass', vars: { volume, storageClass: noClass[1] || '—' }, kubevirtReason: r, claim: true };
  if (/^Snapshot is not supported for this volumeSource type/.test(r)) {
    return { volume, key: 'snapshot.excluded.volumeSource', vars: { volume, kind: kind ?? '—' }, kubevirtReason: r, claim };
  }
  if (/^PVC not found/.test(r)) return { volume, key: 'snapshot.excluded.pvcNotFound', vars: { volume, claim: claimOf(vm, volume) ?? '—' }, kubevirtReason: r, claim: true };
  const many = /^(\d+) matching VolumeSnapshotClasses for (\S+)/.exec(r);
  if (many) return { volume, key: 'snapshot.excluded.manyClasses', vars: { volume, count: many[1]!, storageClass: many[2]! }, kubevirtReason: r, claim: true };
  if (!reason) return { volume, key: 'snapshot.excluded.noReason', vars: { volume }, claim };
  return { volume, key: 'snapshot.excluded.other', vars: { volume }, kubevirtReason: r, claim };
}

export interface VolumeSnapshotPlan {
  /** KubeVirt has reported volumeSnapshotStatuses for this VM. */
  reported: boolean;
  included: string[];
  excluded: VolumeExclusion[];
  /** Volumes KubeVirt has not said anything about (yet). */
  unknown: string[];
}

/**
 * What a snapshot taken now would include, from the VM's status.volumeSnapshotStatuses (KubeVirt keeps it current).
 * Before KubeVirt has reported, the volume kinds that are never snapshotted are known from the spec; claims are
 * then "not reported yet", not guessed.
 */
export function volumeSnapshotPlan(vm: VirtualMachine): VolumeSnapshotPlan {
  const statuses = vm.status?.volumeSnapshotStatuses;
  const names = volumesOf(vm).map((v) => v.name);
  if (statuses?.length) {
    const byName = new Map(statuses.map((s) => [s.name, s]));
    return {
      reported: true,
      included: statuses.filter((s) => s.enabled).map((s) => s.name),
      excluded: statuses.filter((s) => !s.enabled).map((s) => exclusionOf(s.name, s.reason, vm)),
      unknown: names.filter((n) => !byName.has(n)),
    };
  }
  const excluded: VolumeExclusion[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const kind = volumeKind(vm, n);
    if (isClaimKind(kind)) unknown.push(n);
    else excluded.push({ volume: n, key: 'snapshot.excluded.volumeSource', vars: { volume: n, kind: kind ?? '—' }, claim: false });
  }
  return { reported: false, included: [], excluded, unknown };
}

// ---------------------------------------------------------------------------------------------------------------
// A snapshot, read

export const SNAPSHOT_PHASES = ['InProgress', 'Succeeded', 'Failed', 'Deleting', 'Unknown'] as const;
export type SnapshotPhase = (typeof SNAPSHOT_PHASES)[number];

type Cond = { type?: string; status?: string; reason?: string; message?: string };
const condition = (conds: Cond[] | undefined, type: string) => conds?.find((c) => c.type === type);

export interface Indication {
  /** KubeVirt's word (Online, GuestAgent, ...); none for "offline", which KubeVirt marks by Online's absence. */
  name?: string;
  key: MessageKey;
}

const INDICATION_KEYS: Record<string, MessageKey> = {
  Online: 'snapshot.indication.online',
  GuestAgent: 'snapshot.indication.guestAgent',
  NoGuestAgent: 'snapshot.indication.noGuestAgent',
  QuiesceFailed: 'snapshot.indication.quiesceFailed',
};

export interface SnapshotView {
  name: string;
  uid?: string;
  phase: SnapshotPhase;
  readyToUse: boolean;
  /** When KubeVirt took it (status.creationTime), else when it was asked for. */
  created?: string;
  description?: string;
  indications: Indication[];
  /** Known once it has succeeded (status.snapshotVolumes). */
  volumes?: { included: string[]; excluded: string[] };
  /** Why it failed, or what it is waiting for: KubeVirt's words (a condition's reason, or status.error). */
  detail?: string;
  deleting: boolean;
  contentName?: string;
}

function phaseOf(s: VirtualMachineSnapshot): SnapshotPhase {
  if (s.metadata?.deletionTimestamp) return 'Deleting';
  const p = s.status?.phase;
  return (SNAPSHOT_PHASES as readonly string[]).includes(p ?? '') ? (p as SnapshotPhase) : p ? 'Unknown' : 'InProgress';
}

export function indicationsOf(s: VirtualMachineSnapshot): Indication[] {
  const given = s.status?.indications ?? [];
  const out: Indication[] = given.map((name) => ({ name, key: INDICATION_KEYS[name] ?? 'snapshot.indication.other' }));
  // Indications are written when the snapshot starts; once it has succeeded, no Online means the VM was stopped.
  if (s.status?.phase === 'Succeeded' && !given.includes('Online')) out.unshift({ key: 'snapshot.indication.offline' });
  return out;
}

export function snapshotView(s: VirtualMachineSnapshot): SnapshotView {
  const phase = phaseOf(s);
  const st = s.status;
  const conds = st?.conditions as Cond[] | undefined;
  const failure = condition(conds, 'Failure');
  const progressing = condition(conds, 'Progressing');
  const detail =
    phase === 'Failed'
      ? (st?.error?.message ?? (failure?.status === 'True' ? failure.reason || failure.message : undefined) ?? progressing?.reason)
      : phase === 'InProgress'
        ? (st?.error?.message ?? progressing?.reason)
        : undefined;
  const description = s.metadata?.annotations?.[DESCRIPTION_ANNOTATION];
  return {
    name: s.metadata?.name ?? '',
    uid: s.metadata?.uid,
    phase,
    readyToUse: st?.readyToUse === true,
    created: st?.creationTime ?? s.metadata?.creationTimestamp,
    ...(description ? { description } : {}),
    indications: indicationsOf(s),
    ...(st?.snapshotVolumes ? { volumes: { included: [...(st.snapshotVolumes.includedVolumes ?? [])], excluded: [...(st.snapshotVolumes.excludedVolumes ?? [])] } } : {}),
    ...(detail ? { detail } : {}),
    deleting: Boolean(s.metadata?.deletionTimestamp),
    contentName: st?.virtualMachineSnapshotContentName,
  };
}

const time = (o: { metadata?: { creationTimestamp?: string } }) => Date.parse(o.metadata?.creationTimestamp ?? '') || 0;
const newestFirst = <T extends { metadata?: { creationTimestamp?: string; name?: string } }>(a: T, b: T) => time(b) - time(a) || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? '');

/** The VM's own snapshots (spec.source names it), newest first. */
export function snapshotsOfVm(all: readonly VirtualMachineSnapshot[], vm: string): VirtualMachineSnapshot[] {
  return all.filter((s) => s.spec?.source?.kind === 'VirtualMachine' && s.spec.source.name === vm).sort(newestFirst);
}

/** A snapshot can be restored or cloned from once KubeVirt says it is ready to use. */
export const usable = (v: SnapshotView) => v.phase === 'Succeeded' && v.readyToUse && !v.deleting;

// ---------------------------------------------------------------------------------------------------------------
// Restore

/** KubeVirt restores a VM in place only while it is stopped: a running one (or one still shutting down) must stop. */
export function needsStopForRestore(vm: VirtualMachine, vmi?: VirtualMachineInstance): boolean {
  return Boolean(vmi) || vm.status?.created === true || vmStatus(vm) !== 'Stopped';
}

export interface RestorePlan {
  /** The disks the snapshot holds: each gets a new claim restored from it, replacing the current one. */
  replaced: { volume: string; claim?: string }[];
  /** The VM's other volumes: not in the snapshot, left as they are. */
  kept: string[];
}

export function restorePlan(vm: VirtualMachine, snapshot: SnapshotView): RestorePlan {
  const included = snapshot.volumes?.included ?? [];
  return {
    replaced: included.map((volume) => ({ volume, claim: claimOf(vm, volume) })),
    kept: volumesOf(vm).map((v) => v.name).filter((n) => !included.includes(n)),
  };
}

export const RESTORE_STEPS = ['waitingForStop', 'creatingClaims', 'updatingVm', 'complete'] as const;
export type RestoreStep = 'pending' | (typeof RESTORE_STEPS)[number] | 'failed' | 'other';

export interface RestoreView {
  name: string;
  snapshot: string;
  target: string;
  step: RestoreStep;
  complete: boolean;
  failed: boolean;
  /** KubeVirt's words for where it is or why it failed (conditions carry their text in reason). */
  detail?: string;
  created?: string;
  restoreTime?: string;
  claims: { volume: string; claim: string }[];
  stoppedByPortal: boolean;
}

function restoreStepOf(reason: string): RestoreStep {
  if (/target spec|target update|updating target|creating.*(target|vm)/i.test(reason)) return 'updatingVm';
  if (/waiting for target|target.*(not ready|running|stop)|vm.*running/i.test(reason)) return 'waitingForStop';
  if (/PVC|creating new|restore.*volume/i.test(reason)) return 'creatingClaims';
  if (/initiali[sz]ing/i.test(reason)) return 'pending';
  return 'other';
}

export function restoreView(r: VirtualMachineRestore): RestoreView {
  const conds = r.status?.conditions as Cond[] | undefined;
  const failure = condition(conds, 'Failure');
  const progressing = condition(conds, 'Progressing');
  const complete = r.status?.complete === true;
  const failed = !complete && failure?.status === 'True';
  const detail = failed ? failure?.reason || failure?.message : complete ? undefined : progressing?.reason || progressing?.message;
  const step: RestoreStep = complete ? 'complete' : failed ? 'failed' : detail ? restoreStepOf(detail) : 'pending';
  return {
    name: r.metadata?.name ?? '',
    snapshot: r.spec?.virtualMachineSnapshotName ?? '',
    target: r.spec?.target?.name ?? '',
    step,
    complete,
    failed,
    ...(detail ? { detail } : {}),
    created: r.metadata?.creationTimestamp,
    restoreTime: r.status?.restoreTime,
    claims: (r.status?.restores ?? []).map((x) => ({ volume: x.volumeName, claim: x.persistentVolumeClaim })),
    stoppedByPortal: r.metadata?.annotations?.[STOPPED_FOR_RESTORE_ANNOTATION] === 'true',
  };
}

export const restoreDone = (v: RestoreView) => v.complete || v.failed;

/** Restores of this VM, and restores of its snapshots to new VMs, newest first. */
export function restoresOfVm(all: readonly VirtualMachineRestore[], vm: string, snapshotNames: ReadonlySet<string>): VirtualMachineRestore[] {
  return all.filter((r) => r.spec?.target?.name === vm || snapshotNames.has(r.spec?.virtualMachineSnapshotName ?? '')).sort(newestFirst);
}

// ---------------------------------------------------------------------------------------------------------------
// Clone

export const CLONE_STEPS = ['SnapshotInProgress', 'CreatingTargetVM', 'RestoreInProgress', 'Succeeded'] as const;
export type ClonePhase = 'Pending' | (typeof CLONE_STEPS)[number] | 'Failed' | 'Unknown';

export interface CloneView {
  name: string;
  phase: ClonePhase;
  source: { kind: string; name: string };
  target?: string;
  done: boolean;
  failed: boolean;
  detail?: string;
  created?: string;
}

export function cloneView(c: VirtualMachineClone): CloneView {
  const raw = c.status?.phase ?? '';
  const phase: ClonePhase = raw === '' ? 'Pending' : ([...CLONE_STEPS, 'Failed', 'Unknown'] as string[]).includes(raw) ? (raw as ClonePhase) : 'Unknown';
  const conds = c.status?.conditions as Cond[] | undefined;
  const failure = condition(conds, 'Failure') ?? condition(conds, 'Ready');
  const target = c.status?.targetName ?? c.spec?.target?.name;
  return {
    name: c.metadata?.name ?? '',
    phase,
    source: { kind: c.spec?.source?.kind ?? '', name: c.spec?.source?.name ?? '' },
    ...(target ? { target } : {}),
    done: phase === 'Succeeded',
    failed: phase === 'Failed',
    ...(phase === 'Failed' && (failure?.message || (failure?.reason && failure.reason !== 'Failed')) ? { detail: failure?.message || failure?.reason } : {}),
    created: c.metadata?.creationTimestamp,
  };
}

export const cloneStepKey = (p: ClonePhase): MessageKey => `clone.phase.${p}` as MessageKey;

/** Clones made from this VM or from one of its snapshots, newest first. */
export function clonesOfVm(all: readonly VirtualMachineClone[], vm: string, snapshotNames: ReadonlySet<string>): VirtualMachineClone[] {
  return all
    .filter((c) => (c.spec?.source?.kind === 'VirtualMachine' && c.spec.source.name === vm) || (c.spec?.source?.kind === 'VirtualMachineSnapshot' && snapshotNames.has(c.spec.source.name)))
    .sort(newestFirst);
}

/**
 * The source's claims that a clone cannot copy (no snapshot of them): KubeVirt's new VM then refers to the same
 * claims as its source. Container disks and cloud-init data are part of the VM's spec and copied with it.
 */
export function cloneWarnings(vm: VirtualMachine): VolumeExclusion[] {
  return volumeSnapshotPlan(vm).excluded.filter((x) => x.claim);
}

// ---------------------------------------------------------------------------------------------------------------
// Sizes: GET /api/vms/{ns}/{name}/snapshots/{snapshot} reads them from the VolumeSnapshots behind a snapshot.

export interface SnapshotVolumeSize {
  volume: string;
  /** The VolumeSnapshot's status.restoreSize, when it could be read. */
  restoreSize?: string;
  bytes?: number;
}

export interface SnapshotDetails {
  snapshot: string;
  /** Whether the sizes could be read at all (the snapshot's content, then each VolumeSnapshot). */
  readable: boolean;
  volumes: SnapshotVolumeSize[];
  /** The sum, only when every volume's size is known: a partial sum would understate it. */
  totalBytes?: number;
}

export function totalBytes(volumes: readonly SnapshotVolumeSize[]): number | undefined {
  if (!volumes.length || volumes.some((v) => v.bytes === undefined)) return undefined;
  return volumes.reduce((n, v) => n + (v.bytes ?? 0), 0);
}
