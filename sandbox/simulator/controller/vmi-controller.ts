// virt-controller's and virt-handler's VirtualMachineInstance loop: create the virt-launcher pod, follow it and
// the domain it runs, write the VMI's status, and finish deletions once the pod is gone.
import { readClusterConfig } from '../webhooks/cluster-config.ts';
import { ApiError, type KubeClient, type KubeObject } from '../kube/client.ts';
import { claimVolumes, launcherPod } from '../kubevirt/launcher-pod.ts';
import { vmiPath } from '../kubevirt/paths.ts';
import { isFinal } from '../kubevirt/phase.ts';
import type { VMI } from '../kubevirt/types.ts';
import { computeVmiStatus, missingClaims, type ClaimView, type DomainView, type PodView } from '../kubevirt/vmi-status.ts';
import { domains } from '../handler/domains.ts';
import { migrationJobLabel, type LauncherRuntime } from '../handler/launcher-runtime.ts';
import { Controller } from './controller.ts';
import { Store } from './queue.ts';
import { EventRecorder } from '../kube/events.ts';
import { vmFinalizer } from './vm-controller.ts';
import { sameJson } from '../kube/same-json.ts';

const vmiFinalizer = 'foregroundDeleteVirtualMachine';

interface Claim extends KubeObject {
  spec: { accessModes?: string[]; volumeMode?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string; capacity?: { storage?: string }; accessModes?: string[] };
}

interface LauncherPod extends KubeObject {
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string; qosClass?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export class VmiController extends Controller {
  readonly vmis = new Store<VMI>();
  readonly pods = new Store<LauncherPod>();
  private readonly claims = new Store<Claim>();
  readonly queue = this.workQueue('vmi', (key) => this.reconcile(key));
  private readonly createErrors = new Map<string, string>();
  private readonly hotplugErrors = new Map<string, string>();
  private readonly ended = new Map<string, 'Succeeded' | 'Failed'>();
  private readonly events: EventRecorder;
  onVmiChange: (vmi: VMI) => void = () => {};

  constructor(
    kube: KubeClient,
    private readonly runtime: LauncherRuntime,
  ) {
    super(kube);
    this.events = new EventRecorder(kube, 'virt-handler');
    this.watch<VMI>('/apis/kubevirt.io/v1/virtualmachineinstances', {
      store: this.vmis,
      queue: this.queue,
      onEvent: (_type, o) => {
        if (o) this.onVmiChange(o);
      },
    });
    this.watch<Claim>('/api/v1/persistentvolumeclaims', {
      store: this.claims,
      onEvent: (_type, o) => {
        if (!o) return;
        for (const vmi of this.vmis.list()) {
          if (vmi.metadata.namespace === o.metadata.namespace && claimVolumes(vmi).some((c) => c.claim === o.metadata.name)) this.queue.add(Store.key(vmi));
        }
      },
    });
    this.watch<LauncherPod>('/api/v1/pods?labelSelector=kubevirt.io%3Dvirt-launcher', {
      store: this.pods,
      onEvent: (_type, o) => {
        const vmiName = o?.metadata.annotations?.['kubevirt.io/domain'];
        if (o && vmiName) this.queue.add(`${o.metadata.namespace}/${vmiName}`);
      },
    });
  }

  domainChanged(namespace: string, name: string) {
    this.queue.add(`${namespace}/${name}`);
  }

  private podsOf(vmi: VMI): LauncherPod[] {
    return this.pods.list().filter((p) => p.metadata.labels?.['kubevirt.io/created-by'] === vmi.metadata.uid);
  }

  private async reconcile(key: string) {
    if (!this.vmis.synced || !this.pods.synced || !this.claims.synced) return;
    const vmi = this.vmis.get(key);
    if (!vmi) return;
    const [ns, name] = key.split('/') as [string, string];
    const uid = vmi.metadata.uid!;
    const pods = this.podsOf(vmi);
    const d = domains.get(ns, name);
    const live = d && d.plan.vmiUid === uid ? d : undefined;
    // The VMI's pod is the one whose domain serves it; while a migration runs, never its target's.
    const isTarget = (p: LauncherPod) => !!p.metadata.labels?.[migrationJobLabel];
    const pod =
      pods.find((p) => p.metadata.uid === live?.plan.dirName) ??
      pods.find((p) => !isTarget(p) && !p.metadata.deletionTimestamp) ??
      pods.find((p) => !isTarget(p)) ??
      pods[0];

    if (vmi.metadata.deletionTimestamp || isFinal(vmi)) {
      for (const p of pods) {
        if (!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') {
          const grace = vmi.spec?.terminationGracePeriodSeconds ?? 30;
          await this.kube.delete(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: grace });
        }
      }
      const running = pods.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      if (vmi.metadata.deletionTimestamp && !running) {
        if (!isFinal(vmi)) await this.writeStatus(vmi, { ...computeVmiStatus(vmi, { ended: 'Succeeded' }) });
        const left = (vmi.metadata.finalizers ?? []).filter((f) => f !== vmiFinalizer && f !== vmFinalizer);
        if (left.length !== (vmi.metadata.finalizers ?? []).length) {
          await this.kube.patch(vmiPath(ns, name), [
            { op: 'test', path: '/metadata/resourceVersion', value: vmi.metadata.resourceVersion },
            { op: 'replace', path: '/metadata/finalizers', value: left },
          ], 'json');
        }
        this.createErrors.delete(uid);
        this.hotplugErrors.delete(`${uid}/a volume`);
        this.hotplugErrors.delete(`${uid}/an interface`);
        this.ended.delete(uid);
        return;
      }
      if (isFinal(vmi)) return;
    }

    if (!vmi.status?.phase) {
      const finalizers = [...new Set([...(vmi.metadata.finalizers ?? []), vmiFinalizer])];
      await this.kube.patch(vmiPath(ns, name), { metadata: { finalizers } });
    }

    const claims = this.claimViews(vmi);
    const waitingForClaims = missingClaims(vmi, claims).length > 0;
    if (!pods.length && !waitingForClaims && !vmi.metadata.deletionTimestamp && ['', 'Pending', 'Scheduling', undefined].includes(vmi.status?.phase)) {
      try {
        // virt-controller reads the NADs first: a missing one fails the VMI's sync, not the pod.
        const pod = await this.kube.create(`/api/v1/namespaces/${ns}/pods`, launcherPod(vmi, await this.runtime.multus.resources(vmi), await readClusterConfig(this.kube)));
        this.createErrors.delete(uid);
        this.events.record('VirtualMachineInstance', vmi, 'Normal', 'SuccessfulCreate', `Created virtual machine pod ${pod.metadata.name}`);
      } catch (e) {
        // Quota and admission refusals stay visible on the VMI (and so on the VM) until a retry succeeds.
        const message = e instanceof ApiError ? statusMessage(e) : e instanceof Error ? e.message : String(e);
        if (this.createErrors.get(uid) !== message) this.events.record('VirtualMachineInstance', vmi, 'Warning', 'FailedCreate', `Error creating pod: ${message}`);
        this.createErrors.set(uid, message);
        this.queue.after(key, 5000);
      }
    }

    const state = live ? this.runtime.stateOf(live) : undefined;
    // No device changes while a migration runs: the target was started with the source's devices.
    if (live && vmi.status?.phase === 'Running' && !vmi.metadata.deletionTimestamp && !this.runtime.migrating(uid)) {
      // A hot-plug request that cannot be met yet (its NAD is missing, no free slot, a guest that holds the device)
      // must not stop the status updates: it is said once in an event and tried again.
      const retryLater = (what: string) => (e: unknown) => {
        const message = `failed to hot plug ${what}: ${e instanceof Error ? e.message : String(e)}`;
        if (this.hotplugErrors.get(`${uid}/${what}`) !== message) this.events.record('VirtualMachineInstance', vmi, 'Warning', 'SyncFailed', message);
        this.hotplugErrors.set(`${uid}/${what}`, message);
        this.queue.after(key, 5000);
      };
      await this.runtime.syncHotplug(live, vmi).then(() => this.hotplugErrors.delete(`${uid}/a volume`), retryLater('a volume'));
      await this.runtime.syncDiskSizes(live).catch((e: unknown) => this.events.record('VirtualMachineInstance', vmi, 'Warning', 'SyncFailed', `failed to expand a disk: ${e instanceof Error ? e.message : String(e)}`));
      await this.runtime.syncInterfaces(live, vmi).then(() => this.hotplugErrors.delete(`${uid}/an interface`), retryLater('an interface'));
    }
    const domainView: DomainView | undefined = live && state
      ? { running: live.running, paused: state.paused, agent: state.agent, macs: state.macs, hotplugged: [...state.hotplugged.keys()].filter((v) => !state.unplugging.has(v)), unplugging: [...state.unplugging] }
      : undefined;
    const podPhase = pod?.status?.phase;
    if (!live && pod && podPhase === 'Succeeded') this.ended.set(uid, 'Succeeded');
    if (!live && pod && podPhase === 'Failed') this.ended.set(uid, 'Failed');
    const sched = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const podView: PodView | undefined = pod
      ? {
          uid: pod.metadata.uid!,
          name: pod.metadata.name,
          phase: podPhase,
          nodeName: pod.spec.nodeName,
          podIP: pod.status?.podIP,
          deleting: !!pod.metadata.deletionTimestamp,
          qosClass: pod.status?.qosClass,
          scheduled: sched,
        }
      : undefined;
    const status = computeVmiStatus(vmi, { pod: podView, domain: domainView, claims, createError: this.createErrors.get(uid), ended: this.ended.get(uid) });
    await this.writeStatus(vmi, status);
    this.recordPhaseEvents(vmi, status);
    if (status.phase === 'Running' && state?.agent === undefined) this.queue.after(key, 3000);
  }

  /** virt-handler's events for what the domain did, on the phase changes that show it. */
  private recordPhaseEvents(vmi: VMI, status: NonNullable<VMI['status']>) {
    const was = vmi.status?.phase;
    const now = status.phase;
    if (was === now) {
      const paused = (s: VMI['status']) => s?.conditions?.some((c) => c.type === 'Paused' && c.status === 'True');
      if (paused(status) && !paused(vmi.status)) this.events.record('VirtualMachineInstance', vmi, 'Normal', 'Paused', 'VirtualMachineInstance paused');
      if (!paused(status) && paused(vmi.status)) this.events.record('VirtualMachineInstance', vmi, 'Normal', 'Unpaused', 'VirtualMachineInstance unpaused');
      return;
    }
    if (now === 'Running') this.events.record('VirtualMachineInstance', vmi, 'Normal', 'Started', 'VirtualMachineInstance started.');
    if (now === 'Succeeded') this.events.record('VirtualMachineInstance', vmi, 'Normal', 'Stopped', 'The VirtualMachineInstance was shut down.');
    if (now === 'Failed') this.events.record('VirtualMachineInstance', vmi, 'Warning', 'Stopped', 'The VirtualMachineInstance crashed.');
  }

  private claimViews(vmi: VMI): Record<string, ClaimView> {
    const views: Record<string, ClaimView> = {};
    for (const { claim } of claimVolumes(vmi)) {
      const c = this.claims.get(`${vmi.metadata.namespace}/${claim}`);
      if (!c) continue;
      views[claim] = {
        accessModes: c.status?.accessModes ?? c.spec.accessModes ?? [],
        volumeMode: c.spec.volumeMode ?? 'Filesystem',
        capacity: c.status?.capacity?.storage,
        requests: c.spec.resources?.requests?.storage,
        bound: c.status?.phase === 'Bound',
      };
    }
    return views;
  }

  private async writeStatus(vmi: VMI, status: NonNullable<VMI['status']>) {
    const node = status.nodeName;
    const labelsChange = node && vmi.metadata.labels?.['kubevirt.io/nodeName'] !== node;
    if (sameJson(status, vmi.status) && !labelsChange) return;
    // The VMI has no status subresource: virt-controller writes status with the object itself.
    await this.kube.patch(vmiPath(vmi.metadata.namespace!, vmi.metadata.name), [
      { op: 'test', path: '/metadata/resourceVersion', value: vmi.metadata.resourceVersion },
      { op: 'replace', path: '/status', value: status },
      ...(labelsChange
        ? [vmi.metadata.labels
            ? { op: 'add', path: '/metadata/labels/kubevirt.io~1nodeName', value: node }
            : { op: 'add', path: '/metadata/labels', value: { 'kubevirt.io/nodeName': node } }]
        : []),
    ], 'json');
  }
}

function statusMessage(e: ApiError): string {
  try {
    return (JSON.parse(e.body) as { message?: string }).message ?? e.body;
  } catch {
    return e.body;
  }
}
