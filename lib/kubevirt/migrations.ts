import type { MessageKey } from '../i18n/locales';
import type { MigrationState, VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from './types';

// Live migration, read from KubeVirt's objects. Pure: the VMI's LiveMigratable condition in plain words, a
// VirtualMachineInstanceMigration (VMIM) as a timeline of its phases, a VM's migrations newest first, and the
// nodes a migration may be sent to. KubeVirt 1.4-1.6 (shared/kubevirt/API-REFERENCE.md §4, §5, §8).

// ---------------------------------------------------------------------------------------------------------------
// Can it be live-migrated? (the LiveMigratable condition virt-handler computes)

/** Why a VM cannot be live-migrated, as a message key with its data, plus KubeVirt's own words. */
export interface MigrationBlock {
  key: MessageKey;
  vars?: Record<string, string>;
  /** KubeVirt's reason (DisksNotLiveMigratable, ...), when it gave one. */
  kubevirtReason?: string;
  /** KubeVirt's message, as it wrote it (English, not translated). */
  detail?: string;
}

export type Migratability = { ok: true } | { ok: false; block: MigrationBlock };

type Conditions = { type?: string; status?: string; reason?: string; message?: string }[] | undefined;

const SIMPLE_REASONS: Record<string, MessageKey> = {
  HotplugNotLiveMigratable: 'migration.block.hotplug',
  CPUModeLiveMigratable: 'migration.block.cpuMode',
  CPUModeNotLiveMigratable: 'migration.block.cpuMode',
  VirtIOFSNotLiveMigratable: 'migration.block.virtiofs',
  HostDeviceNotLiveMigratable: 'migration.block.hostDevice',
  SEVNotLiveMigratable: 'migration.block.sev',
  SecureExecutionNotLiveMigratable: 'migration.block.secureExecution',
  NoTSCFrequencyNotLiveMigratable: 'migration.block.tsc',
  HypervPassthroughNotLiveMigratable: 'migration.block.hyperv',
  PersistentReservationNotLiveMigratable: 'migration.block.persistentReservation',
};

// The volume (disk) that uses a claim: a PVC volume by claim name, or a DataVolume, whose claim has its name.
function diskOfClaim(vmi: VirtualMachineInstance | undefined, claim: string): string {
  const v = vmi?.spec?.volumes?.find((x) => x.persistentVolumeClaim?.claimName === claim || x.dataVolume?.name === claim);
  return v?.name ?? claim;
}

// The claim's access modes as the VMI reports them (volumeStatus, by claim name, else by the volume using it).
function accessModesOf(vmi: VirtualMachineInstance | undefined, claim: string): string[] {
  const statuses = vmi?.status?.volumeStatus ?? [];
  const disk = diskOfClaim(vmi, claim);
  const s = statuses.find((x) => x.persistentVolumeClaimInfo?.claimName === claim) ?? statuses.find((x) => x.name === disk);
  return [...(s?.persistentVolumeClaimInfo?.accessModes ?? [])];
}

function diskBlock(vmi: VirtualMachineInstance | undefined, message: string): Omit<MigrationBlock, 'kubevirtReason' | 'detail'> {
  // "cannot migrate VMI: PVC <claim> is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)"
  const notShared = /PVC (\S+?) is not shared/.exec(message);
  // "cannot migrate VMI: Unable to determine if PVC <claim> is shared, ..."
  const unknown = /Unable to determine if PVC (\S+?) is shared/i.exec(message);
  if (notShared || unknown) {
    const claim = (notShared ?? unknown)![1]!;
    const disk = diskOfClaim(vmi, claim);
    if (unknown) return { key: 'migration.block.diskUnknown', vars: { disk, claim } };
    const modes = accessModesOf(vmi, claim);
    return modes.length ? { key: 'migration.block.diskNotShared', vars: { disk, claim, modes: modes.join(', ') } } : { key: 'migration.block.diskNotRwx', vars: { disk, claim } };
  }
  if (/HostDisk/i.test(message)) return { key: 'migration.block.hostDisk' };
  // No claim named: one the VMI itself reports without ReadWriteMany, if any.
  const local = vmi?.status?.volumeStatus?.find((x) => x.persistentVolumeClaimInfo?.accessModes?.length && !x.persistentVolumeClaimInfo.accessModes.includes('ReadWriteMany'));
  const claim = local?.persistentVolumeClaimInfo?.claimName;
  if (claim) return { key: 'migration.block.diskNotShared', vars: { disk: diskOfClaim(vmi, claim), claim, modes: accessModesOf(vmi, claim).join(', ') } };
  return { key: 'migration.block.disks' };
}

function interfaceBlock(vmi: VirtualMachineInstance | undefined): Omit<MigrationBlock, 'kubevirtReason' | 'detail'> {
  // Only the interface on the pod network is checked (§8).
  const pod = vmi?.spec?.networks?.find((n) => n.pod);
  const iface = pod && vmi?.spec?.domain?.devices?.interfaces?.find((i) => i.name === pod.name);
  if (!iface) return { key: 'migration.block.interfaceGeneric' };
  const binding = iface.bridge ? 'bridge' : iface.sriov ? 'sriov' : iface.masquerade ? 'masquerade' : (iface.binding?.name ?? '');
  return binding ? { key: 'migration.block.interface', vars: { iface: iface.name, binding } } : { key: 'migration.block.interfaceGeneric' };
}

function conditionOf(conditions: Conditions) {
  return conditions?.find((c) => c.type === 'LiveMigratable');
}

/**
 * Whether the running VM can be live-migrated, from the VMI's LiveMigratable condition (the VM mirrors it, so the
 * VM's copy serves when no VMI is at hand). Reasons are read with the VMI's spec and volume status, so a blocking
 * disk is named with its claim and access modes.
 */
export function migratable(vmi: VirtualMachineInstance | undefined, vm?: VirtualMachine): Migratability {
  const cond = conditionOf(vmi?.status?.conditions) ?? conditionOf(vm?.status?.conditions);
  if (!cond) return { ok: false, block: { key: 'migration.block.notReported' } };
  if (cond.status === 'True') return { ok: true };
  const reason = cond.reason ?? '';
  const message = cond.message ?? '';
  const extra = { ...(reason ? { kubevirtReason: reason } : {}), ...(message ? { detail: message } : {}) };
  if (reason === 'DisksNotLiveMigratable') return { ok: false, block: { ...diskBlock(vmi, message), ...extra } };
  if (reason === 'InterfaceNotLiveMigratable') return { ok: false, block: { ...interfaceBlock(vmi), ...extra } };
  const simple = SIMPLE_REASONS[reason];
  if (simple) return { ok: false, block: { key: simple, ...extra } };
  return { ok: false, block: { key: 'migration.block.other', vars: { reason: reason || cond.status || '?', message: message || reason }, ...extra } };
}

// ---------------------------------------------------------------------------------------------------------------
// A migration as a timeline

/** The phases of a migration in order, before its end (Succeeded or Failed). 1.6's decentralized ones are not shown unless met. */
export const MIGRATION_PHASES = ['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running'] as const;
const FINAL = new Set(['Succeeded', 'Failed']);

export type StepState = 'done' | 'current' | 'upcoming' | 'notReached';
export interface TimelineStep {
  phase: string;
  at?: string; // when the migration entered it (status.phaseTransitionTimestamps)
  state: StepState;
}

export type MigrationResult = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface MigrationTimeline {
  namespace: string;
  name: string;
  uid?: string;
  vmiName: string;
  phase: string; // '' until virt-controller has seen it
  result: MigrationResult;
  finished: boolean;
  /** Deleted (a cancel was asked) and not yet finished: KubeVirt is aborting it. */
  cancelling: boolean;
  cancellable: boolean;
  steps: TimelineStep[];
  createdAt?: string;
  /** When the migration was asked for: its creation, else the first phase it entered. */
  startedAt?: string;
  /** When it ended, for a finished one. */
  endedAt?: string;
  sourceNode?: string;
  targetNode?: string;
  sourcePod?: string;
  targetPod?: string;
  /** The node asked for (spec.addedNodeSelector kubernetes.io/hostname), before the target is known. */
  requestedNode?: string;
  mode?: string;
  failureReason?: string;
}

const ms = (iso: string | undefined) => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

function transitions(m: VirtualMachineInstanceMigration): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of m.status?.phaseTransitionTimestamps ?? []) if (t.phase && t.phaseTransitionTimestamp) out.set(t.phase, String(t.phaseTransitionTimestamp));
  return out;
}

export function isFinished(m: VirtualMachineInstanceMigration): boolean {
  return FINAL.has(m.status?.phase ?? '');
}

function wasCancelled(m: VirtualMachineInstanceMigration, state: MigrationState | undefined): boolean {
  const asked = m.status?.conditions?.some((c) => c.type === 'migrationAbortRequested' && c.status === 'True');
  return Boolean(asked || (state?.abortRequested && state.abortStatus !== 'Failed'));
}

/**
 * The migration's phases in order with when each began, the current one, and where it goes. The VMI's
 * migrationState fills in nodes and pods when it belongs to this migration (same migrationUid) and the VMIM's own
 * copy lacks them.
 */
export function migrationTimeline(m: VirtualMachineInstanceMigration, vmi?: VirtualMachineInstance): MigrationTimeline {
  const phase = m.status?.phase ?? '';
  const finished = FINAL.has(phase);
  const at = transitions(m);
  const own = m.status?.migrationState;
  const fromVmi = vmi?.status?.migrationState && m.metadata?.uid && vmi.status.migrationState.migrationUid === m.metadata.uid ? vmi.status.migrationState : undefined;
  const state: MigrationState | undefined = own || fromVmi ? { ...(fromVmi ?? {}), ...(own ?? {}) } : undefined;

  const known: string[] = [...MIGRATION_PHASES];
  if (phase && !finished && !known.includes(phase)) known.push(phase);
  const current = known.indexOf(phase);
  // The last of the known phases it is known to have reached (a Failed migration stops somewhere).
  const reached = finished ? Math.max(-1, ...known.map((p, i) => (at.has(p) ? i : -1))) : current;
  const steps: TimelineStep[] = known.map((p, i) => {
    const when = at.get(p);
    let s: StepState;
    if (finished) s = phase === 'Succeeded' || i <= reached ? 'done' : 'notReached';
    else if (i < current) s = 'done';
    else if (i === current) s = 'current';
    else s = 'upcoming';
    return { phase: p, ...(when ? { at: when } : {}), state: s };
  });
  const end = finished ? phase : 'Succeeded';
  steps.push({ phase: end, ...(at.get(end) ? { at: at.get(end) } : {}), state: finished ? 'current' : 'upcoming' });

  const cancelled = phase === 'Failed' && wasCancelled(m, state);
  const result: MigrationResult = phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' ? (cancelled ? 'cancelled' : 'failed') : 'running';
  const createdAt = m.metadata?.creationTimestamp ? String(m.metadata.creationTimestamp) : undefined;
  const firstAt = [...at.values()].sort((a, b) => (ms(a) ?? 0) - (ms(b) ?? 0))[0];
  const cancelling = !finished && Boolean(m.metadata?.deletionTimestamp);
  return {
    namespace: m.metadata?.namespace ?? '',
    name: m.metadata?.name ?? '',
    ...(m.metadata?.uid ? { uid: m.metadata.uid } : {}),
    vmiName: m.spec?.vmiName ?? '',
    phase,
    result,
    finished,
    cancelling,
    cancellable: !finished && !cancelling,
    steps,
    createdAt,
    startedAt: createdAt ?? firstAt,
    endedAt: finished ? (at.get(phase) ?? state?.endTimestamp) : undefined,
    sourceNode: state?.sourceNode || undefined,
    targetNode: state?.targetNode || undefined,
    sourcePod: state?.sourcePod || undefined,
    targetPod: state?.targetPod || undefined,
    requestedNode: m.spec?.addedNodeSelector?.['kubernetes.io/hostname'] || undefined,
    mode: state?.mode || undefined,
    failureReason: phase === 'Failed' ? state?.failureReason || m.status?.conditions?.find((c) => c.status === 'True' && c.message)?.message || undefined : undefined,
  };
}

/** How long it ran: to its end, or to now while it runs. */
export function migrationDurationMs(tl: MigrationTimeline, now: number): number | undefined {
  const start = ms(tl.startedAt);
  if (start === undefined) return undefined;
  const end = tl.finished ? ms(tl.endedAt) : now;
  return end === undefined ? undefined : Math.max(0, end - start);
}

function sortTime(m: VirtualMachineInstanceMigration): number {
  const created = ms(m.metadata?.creationTimestamp ? String(m.metadata.creationTimestamp) : undefined);
  if (created !== undefined) return created;
  const first = [...transitions(m).values()].map(ms).filter((x): x is number => x !== undefined);
  return first.length ? Math.min(...first) : 0;
}

/** Newest first; the same second (timestamps have seconds only) falls back to the name, later names first. */
export function newestFirst(list: readonly VirtualMachineInstanceMigration[]): VirtualMachineInstanceMigration[] {
  return [...list].sort((a, b) => sortTime(b) - sortTime(a) || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? ''));
}

/** A VM's migrations (VMIMs name the VMI in spec.vmiName; a VM's VMI has the VM's name), newest first. */
export function migrationsOfVm(list: readonly VirtualMachineInstanceMigration[], vmiName: string, namespace?: string): VirtualMachineInstanceMigration[] {
  return newestFirst(list.filter((m) => m.spec?.vmiName === vmiName && (namespace === undefined || m.metadata?.namespace === namespace)));
}

/** The VM's unfinished migration (KubeVirt allows one at a time), newest first if there were several. */
export function activeMigration(ofVm: readonly VirtualMachineInstanceMigration[]): VirtualMachineInstanceMigration | undefined {
  return newestFirst(ofVm).find((m) => !isFinished(m));
}

// ---------------------------------------------------------------------------------------------------------------
// Where it may go

/** What the node picker needs of a Node, as the portal's nodes route sends it. */
export interface NodeSummary {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  /** KubeVirt's node label kubevirt.io/schedulable, when set. */
  kubevirtSchedulable?: boolean;
  /** NoSchedule/NoExecute taints, by key. */
  taints: string[];
}

interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { key?: string; effect?: string }[] };
  status?: { conditions?: { type?: string; status?: string }[] };
}

export function summarizeNode(n: NodeLike): NodeSummary {
  const label = n.metadata?.labels?.['kubevirt.io/schedulable'];
  return {
    name: n.metadata?.name ?? '',
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable: n.spec?.unschedulable === true,
    ...(label === undefined ? {} : { kubevirtSchedulable: label === 'true' }),
    taints: (n.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute').map((t) => t.key ?? ''),
  };
}

export type TargetChoice = { name: string; ok: true; tainted: boolean } | { name: string; ok: false; reasonKey: MessageKey };

/**
 * The nodes offered as a migration's target, by name: the one it runs on, a node that is not Ready, a cordoned one
 * and one KubeVirt marks as not schedulable are listed but not offered. A tainted node is offered (the VM may
 * tolerate the taint; the scheduler decides) with a note.
 */
export function targetChoices(nodes: readonly NodeSummary[], sourceNode: string | undefined): TargetChoice[] {
  return [...nodes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n): TargetChoice => {
      if (n.name === sourceNode) return { name: n.name, ok: false, reasonKey: 'migration.node.current' };
      if (!n.ready) return { name: n.name, ok: false, reasonKey: 'migration.node.notReady' };
      if (n.unschedulable) return { name: n.name, ok: false, reasonKey: 'migration.node.cordoned' };
      if (n.kubevirtSchedulable === false) return { name: n.name, ok: false, reasonKey: 'migration.node.noVms' };
      return { name: n.name, ok: true, tainted: n.taints.length > 0 };
    });
}
