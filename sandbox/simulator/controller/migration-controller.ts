// virt-controller's and virt-handler's VirtualMachineInstanceMigration loop: a target virt-launcher pod placed by
// the real scheduler on another node, a QEMU there waiting for the guest, a real QEMU live migration from the
// source, and the hand-over of the VMI to the target. Deleting the migration object aborts it.
import { readClusterConfig } from '../webhooks/cluster-config.ts';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { wholeQuantity } from '../kube/quantity.ts';
import { launcherPod } from '../kubevirt/launcher-pod.ts';
import { vmiPath } from '../kubevirt/paths.ts';
import { isFinal } from '../kubevirt/phase.ts';
import { nowIso, type VMI } from '../kubevirt/types.ts';
import type { Domain } from '../handler/domain.ts';
import { domains } from '../handler/domains.ts';
import { migrationJobLabel, type LauncherRuntime } from '../handler/launcher-runtime.ts';
import { clearMigrationProgress, recordMigrationProgress } from '../handler/migration-metrics.ts';
import { simNodes } from '../nodes/fleet.ts';
import { Controller } from './controller.ts';
import { Store } from './queue.ts';
import { EventRecorder } from '../kube/events.ts';

export const migrationFinalizer = 'kubevirt.io/migrationJobFinalize';
const unschedulableTimeoutMs = 5 * 60_000;
/** The phases in which a running task drives the migration. */
const inFlightPhases = ['PreparingTarget', 'TargetReady', 'Running'];

interface Migration extends KubeObject {
  spec: { vmiName: string; addedNodeSelector?: Record<string, string> };
  status?: {
    phase?: string;
    phaseTransitionTimestamps?: { phase: string; phaseTransitionTimestamp: string }[];
    migrationState?: Record<string, unknown>;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

interface MigrationPolicy extends KubeObject {
  spec?: {
    bandwidthPerMigration?: string;
    selectors?: { virtualMachineInstanceSelector?: Record<string, string>; namespaceSelector?: Record<string, string> };
  };
}

interface Pod extends KubeObject {
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string }[] };
}

const migPath = (ns: string, name = '') => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations${name ? `/${name}` : ''}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MigrationController extends Controller {
  readonly migrations = new Store<Migration>();
  private readonly pods = new Store<Pod>();
  readonly queue = this.workQueue('migration', (key) => this.reconcile(key));
  private readonly running = new Map<string, { abort: () => void }>();
  /** Why a migration's task ended with an error, for the reconcile that picks up what it left. */
  private readonly taskErrors = new Map<string, string>();
  private readonly events: EventRecorder;

  constructor(
    kube: KubeClient,
    private readonly vmis: Store<VMI>,
    private readonly runtime: LauncherRuntime,
  ) {
    super(kube);
    this.events = new EventRecorder(kube, 'virt-handler');
    this.watch('/apis/kubevirt.io/v1/virtualmachineinstancemigrations', { store: this.migrations, queue: this.queue });
    this.watch<Pod>(`/api/v1/pods?labelSelector=${encodeURIComponent(migrationJobLabel)}`, {
      store: this.pods,
      onEvent: (_type, o) => {
        const uid = o?.metadata.labels?.[migrationJobLabel];
        const mig = uid && this.migrations.list().find((m) => m.metadata.uid === uid);
        if (mig) this.queue.add(Store.key(mig));
      },
    });
  }

  private targetPod(m: Migration): Pod | undefined {
    return this.pods.list().find((p) => p.metadata.labels?.[migrationJobLabel] === m.metadata.uid);
  }

  private async setStatus(m: Migration, phase: string, extra: Partial<NonNullable<Migration['status']>> = {}) {
    const now = nowIso();
    const transitions = [...(m.status?.phaseTransitionTimestamps ?? [])];
    if (m.status?.phase !== phase) transitions.push({ phase, phaseTransitionTimestamp: now });
    const status = { ...m.status, ...extra, phase, phaseTransitionTimestamps: transitions };
    const updated = await this.kube.patch<Migration>(`${migPath(m.metadata.namespace!, m.metadata.name)}/status`, { status });
    this.migrations.apply('MODIFIED', updated);
    return updated;
  }

  /** Writes the VMI's migrationState (the VMI has no status subresource) and returns the new state. */
  private async setVmiMigrationState(ns: string, vmiName: string, patch: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const vmi = await this.kube.get<VMI>(vmiPath(ns, vmiName));
    const migrationState = { ...(vmi.status?.migrationState ?? {}), ...patch };
    await this.kube.patch(vmiPath(ns, vmiName), { status: { migrationState, ...extra } });
    return migrationState;
  }

  private async reconcile(key: string) {
    if (!this.migrations.synced) return;
    const m = this.migrations.get(key);
    if (!m) return;
    const ns = m.metadata.namespace!;
    const uid = m.metadata.uid!;
    const phase = m.status?.phase ?? '';
    const final = phase === 'Succeeded' || phase === 'Failed';

    if (m.metadata.deletionTimestamp) {
      if (!final) {
        const task = this.running.get(uid);
        if (task) task.abort(); // the task ends the migration as Failed and tidies up
        else await this.fail(m, 'Migration failed due to being canceled', true);
        return;
      }
      await this.removeFinalizer(m);
      return;
    }
    if (final) {
      if (m.metadata.finalizers?.includes(migrationFinalizer) && !this.running.has(uid)) await this.removeFinalizer(m);
      return;
    }

    const vmi = this.vmis.get(`${ns}/${m.spec.vmiName}`);
    if (!vmi || isFinal(vmi) || vmi.metadata.deletionTimestamp) {
      await this.fail(m, 'the VMI is gone or no longer running');
      return;
    }
    if (phase === '') {
      await this.setStatus(m, 'Pending');
      return;
    }
    const target = this.targetPod(m);
    if (phase === 'Pending') {
      if (!target) await this.createTargetPod(m, vmi);
      await this.setStatus(m, 'Scheduling');
      return;
    }
    if (phase === 'Scheduling') {
      if (!target) return;
      if (target.status?.phase === 'Failed' || target.status?.phase === 'Succeeded') return this.fail(m, 'target pod exited');
      const unsched = target.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const since = m.status?.phaseTransitionTimestamps?.find((t) => t.phase === 'Scheduling')?.phaseTransitionTimestamp;
      if (unsched && since && Date.now() - new Date(since).getTime() > unschedulableTimeoutMs) {
        return this.fail(m, 'target pod could not be scheduled');
      }
      if (unsched) this.queue.after(key, 10_000);
      if (target.status?.phase === 'Running' && this.runtime.targets.has(uid)) await this.setStatus(m, 'Scheduled');
      return;
    }
    // A task that ended with an error (an API call that failed, a QMP command that timed out) left the migration
    // with nobody driving it: finish it as the guest now stands, rather than start it again and again.
    const orphaned = !this.running.has(uid) && (inFlightPhases.includes(phase) || (phase === 'Scheduled' && this.taskErrors.has(uid)));
    if (orphaned) return this.recover(m, vmi, target);
    if (phase === 'Scheduled' && !this.running.has(uid)) {
      const source = domains.get(ns, m.spec.vmiName);
      const dest = this.runtime.targets.get(uid);
      if (!source || !dest || !target) return this.fail(m, 'source or target domain missing');
      this.startMigration(m, vmi, source, dest, target);
    }
  }

  private async createTargetPod(m: Migration, vmi: VMI) {
    const pod = launcherPod(vmi, await this.runtime.multus.resources(vmi), await readClusterConfig(this.kube)) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    pod.metadata.labels[migrationJobLabel] = m.metadata.uid!;
    const sourceNode = vmi.status?.nodeName;
    pod.spec.nodeSelector = { ...(pod.spec.nodeSelector as Record<string, string>), ...(m.spec.addedNodeSelector ?? {}) };
    // Anywhere but the node the VMI runs on.
    pod.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [sourceNode] }] }],
        },
      },
    };
    await this.kube.create(`/api/v1/namespaces/${m.metadata.namespace}/pods`, pod);
  }

  private startMigration(m: Migration, vmi: VMI, source: Domain, dest: Domain, target: Pod) {
    const uid = m.metadata.uid!;
    let aborted = false;
    this.running.set(uid, { abort: () => ((aborted = true), void source.qmp.execute('migrate_cancel').catch(() => {})) });
    this.taskErrors.delete(uid);
    void this.migrate(m, vmi, source, dest, target, () => aborted)
      .catch((e) => {
        this.taskErrors.set(uid, String(e instanceof Error ? e.message : e).slice(0, 300));
        console.error(JSON.stringify({ msg: 'migration failed', migration: m.metadata.name, error: String(e) }));
      })
      .finally(() => {
        this.running.delete(uid);
        clearMigrationProgress(m.metadata.namespace!, m.spec.vmiName);
        this.queue.add(Store.key(m));
      });
  }

  private async migrate(m0: Migration, vmi: VMI, source: Domain, dest: Domain, target: Pod, aborted: () => boolean) {
    const ns = m0.metadata.namespace!;
    const vmiName = m0.spec.vmiName;
    const targetNode = target.spec.nodeName!;
    const sourcePod = await this.sourcePodName(ns, vmi, target);
    const base: Record<string, unknown> = {
      migrationUid: m0.metadata.uid,
      sourceNode: vmi.status?.nodeName,
      sourcePod,
      targetNode,
      targetPod: target.metadata.name,
      mode: 'PreCopy',
      completed: false,
      failed: false,
    };
    let m = await this.setStatus(m0, 'PreparingTarget', { migrationState: base });
    await this.setVmiMigrationState(ns, vmiName, base);
    const targetAddress = simNodes.find((n) => n.name === targetNode)?.internalIp;
    const ready = { targetNodeAddress: targetAddress, targetNodeDomainDetected: true };
    m = await this.setStatus(m, 'TargetReady', { migrationState: { ...base, ...ready } });
    await this.setVmiMigrationState(ns, vmiName, ready);
    if (aborted()) return this.finishAborted(m, dest);

    const policy = await this.matchingPolicy(vmi);
    const bandwidth = policy?.spec?.bandwidthPerMigration;
    if (bandwidth !== undefined) {
      await source.qmp.execute('migrate-set-parameters', { 'max-bandwidth': wholeQuantity(bandwidth) });
      base.migrationPolicyName = policy!.metadata.name;
    }
    const startTimestamp = nowIso();
    const sourceState = this.runtime.stateOf(source);
    if (sourceState) sourceState.migratingOut = true;
    await source.qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'events', state: true }] }).catch(() => {});
    await source.qmp.execute('migrate', { uri: `unix:${dest.plan.incoming}` });
    const running = { ...base, ...ready, startTimestamp };
    m = await this.setStatus(m, 'Running', { migrationState: running });
    await this.setVmiMigrationState(ns, vmiName, { startTimestamp });

    type Info = { status: string; ram?: { transferred: number; remaining: number; 'dirty-pages-rate'?: number; 'page-size'?: number }; 'error-desc'?: string; downtime?: number; 'total-time'?: number };
    let info: Info;
    for (;;) {
      info = await source.qmp.execute<Info>('query-migrate');
      if (info.ram) {
        recordMigrationProgress(ns, vmiName, vmi.status?.nodeName ?? '', {
          processed: info.ram.transferred,
          remaining: info.ram.remaining,
          dirtyRate: (info.ram['dirty-pages-rate'] ?? 0) * (info.ram['page-size'] ?? 4096),
        });
      }
      if (['completed', 'failed', 'cancelled'].includes(info.status)) break;
      await sleep(100);
    }
    if (info.status !== 'completed') {
      if (sourceState) sourceState.migratingOut = false;
      if (aborted()) return this.finishAborted(m, dest);
      await dest.quit();
      const failed = { failed: true, endTimestamp: nowIso(), failureReason: info['error-desc'] ?? `migration ${info.status}` };
      await this.setVmiMigrationState(ns, vmiName, failed);
      await this.setStatus(m, 'Failed', { migrationState: { ...running, ...failed } });
      await this.deleteTarget(m);
      return;
    }

    console.log(JSON.stringify({ time: new Date().toISOString(), msg: 'migration completed', migration: m0.metadata.name, namespace: ns, vmi: vmiName,
      totalTimeMs: info['total-time'], downtimeMs: info.downtime, transferredBytes: info.ram?.transferred }));
    // Hand-over: the target serves the VMI, the source's QEMU ends and its pod goes away.
    const state = this.runtime.stateOf(dest);
    if (state) {
      // The guest is paused on the target exactly when it was on the source. Asking the target instead raced its
      // RESUME event: a query answered 'inmigrate' just before the event, with the event handled first and the stale
      // answer applied after it, could leave the guest marked paused for good (and its agent unpolled).
      const wasPaused = sourceState?.paused ?? false;
      state.paused = wasPaused;
      // The target should now run the guest as the source did. It does not always resume by itself (a target
      // started with -S, and, on a loaded machine, a target that reports 'paused' once the incoming state is in):
      // wait for its run state to settle and resume a guest that the source was running.
      const status = await settledRunState(dest);
      if (!wasPaused && status !== 'running') await dest.qmp.execute('cont');
      // The same guest, with the same agent: what it last reported holds until the target's first poll.
      state.agent = sourceState?.agent;
    }
    this.runtime.targets.delete(m.metadata.uid!);
    this.runtime.activate(dest, true);
    await source.quit();
    await this.recordHandOver(m, vmi);
  }

  /** After the target took over the guest: the VMI's and the migration's records, and the source pod gone. */
  private async recordHandOver(m: Migration, vmi: VMI) {
    const ns = m.metadata.namespace!;
    const state = m.status?.migrationState ?? {};
    const endTimestamp = nowIso();
    const done = { completed: true, endTimestamp, targetNodeDomainReadyTimestamp: endTimestamp };
    await this.setVmiMigrationState(ns, m.spec.vmiName, done);
    const sourcePod = state.sourcePod as string | undefined;
    if (sourcePod) await this.kube.delete(`/api/v1/namespaces/${ns}/pods/${sourcePod}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    await this.setStatus(m, 'Succeeded', { migrationState: { ...state, ...done } });
    this.events.record('VirtualMachineInstance', vmi, 'Normal', 'Migrated', `The VirtualMachineInstance migrated to node ${String(state.targetNode)}.`);
  }

  /**
   * Finishes a migration whose task ended while it was in flight. A target that already serves the guest means the
   * hand-over happened and only its records are missing. Otherwise the guest stays on the source, as after any
   * failed migration: the QEMU migration is cancelled, a source it left paused runs again, and the target goes.
   */
  private async recover(m: Migration, vmi: VMI, target: Pod | undefined) {
    const ns = m.metadata.namespace!;
    const uid = m.metadata.uid!;
    const live = domains.get(ns, m.spec.vmiName);
    if (target && live?.plan.dirName === target.metadata.uid) {
      await this.recordHandOver(m, vmi);
      this.taskErrors.delete(uid);
      return;
    }
    const reason = `migration failed: ${this.taskErrors.get(uid) ?? 'interrupted'}`;
    if (live) {
      const state = this.runtime.stateOf(live);
      await live.qmp.execute('migrate_cancel').catch(() => {});
      const { status } = await live.qmp.execute<{ status: string }>('query-status').catch(() => ({ status: '' }));
      if (state && !state.paused && ['postmigrate', 'finish-migrate', 'paused'].includes(status)) await live.qmp.execute('cont');
      if (state) state.migratingOut = false;
    }
    await this.runtime.targets.get(uid)?.quit();
    const failed = { failed: true, endTimestamp: nowIso(), failureReason: reason };
    await this.setVmiMigrationState(ns, m.spec.vmiName, failed);
    await this.fail(m, reason, false, failed);
    this.taskErrors.delete(uid);
  }

  /**
   * The MigrationPolicy that applies to the VMI: the one whose selectors match the VMI's and its namespace's labels
   * with the most labels, as KubeVirt picks it.
   */
  private async matchingPolicy(vmi: VMI): Promise<MigrationPolicy | undefined> {
    type Policy = MigrationPolicy;
    const list = await this.kube.get<{ items: Policy[] }>('/apis/migrations.kubevirt.io/v1alpha1/migrationpolicies');
    const ns = await this.kube.get<KubeObject>(`/api/v1/namespaces/${vmi.metadata.namespace}`);
    const matches = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
      Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);
    const size = (p: Policy) => Object.keys(p.spec?.selectors?.virtualMachineInstanceSelector ?? {}).length + Object.keys(p.spec?.selectors?.namespaceSelector ?? {}).length;
    return list.items
      .filter((p) => matches(p.spec?.selectors?.virtualMachineInstanceSelector, vmi.metadata.labels) && matches(p.spec?.selectors?.namespaceSelector, ns.metadata.labels))
      .sort((a, b) => size(b) - size(a) || a.metadata.name.localeCompare(b.metadata.name))[0];
  }

  /** The VMI's current virt-launcher pod: the one that is not this migration's target. */
  private async sourcePodName(ns: string, vmi: VMI, target: Pod): Promise<string | undefined> {
    const sel = encodeURIComponent(`kubevirt.io=virt-launcher,kubevirt.io/created-by=${vmi.metadata.uid}`);
    const pods = await this.kube.get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods?labelSelector=${sel}`);
    return pods.items.find((p) => p.metadata.uid !== target.metadata.uid && p.status?.phase === 'Running')?.metadata.name;
  }

  private async finishAborted(m: Migration, dest: Domain) {
    await dest.quit();
    const ns = m.metadata.namespace!;
    const abort = { abortRequested: true, abortStatus: 'Succeeded', failed: true, endTimestamp: nowIso() };
    await this.setVmiMigrationState(ns, m.spec.vmiName, abort).catch(() => {});
    await this.fail(m, 'Migration failed due to being canceled', true, abort);
  }

  private async fail(m: Migration, message: string, abortRequested = false, state: Record<string, unknown> = {}) {
    const now = nowIso();
    const conditions = abortRequested
      ? [{ type: 'migrationAbortRequested', status: 'True', reason: 'MigrationAbortRequested', message, lastTransitionTime: now }]
      : m.status?.conditions;
    await this.setStatus(m, 'Failed', { conditions, migrationState: { ...(m.status?.migrationState ?? {}), ...state, failed: true, failureReason: message } });
    await this.deleteTarget(m);
  }

  private async deleteTarget(m: Migration) {
    const t = this.targetPod(m);
    if (t) await this.kube.delete(`/api/v1/namespaces/${t.metadata.namespace}/pods/${t.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  }

  private async removeFinalizer(m: Migration) {
    const left = (m.metadata.finalizers ?? []).filter((f) => f !== migrationFinalizer);
    if (left.length === (m.metadata.finalizers ?? []).length) return;
    await this.kube.patch(migPath(m.metadata.namespace!, m.metadata.name), [
      { op: 'test', path: '/metadata/resourceVersion', value: m.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: left },
    ], 'json');
  }
}

/** The target's run state once the incoming migration has finished loading (not 'inmigrate' or a migrate phase). */
async function settledRunState(dest: Domain): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status } = await dest.qmp.execute<{ status: string }>('query-status');
    if (!['inmigrate', 'finish-migrate', 'postmigrate'].includes(status) || Date.now() > deadline) return status;
    await sleep(50);
  }
}
