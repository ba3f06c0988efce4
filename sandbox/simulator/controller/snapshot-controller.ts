// KubeVirt's snapshot controllers: every VM's status.volumeSnapshotStatuses says, volume by volume, whether a
// snapshot would include it (and why not), kept current as KubeVirt's VM snapshot controller does, before any
// snapshot is taken; a VirtualMachineSnapshot locks its VM, snapshots every claim on a class with a
// VolumeSnapshotClass (others are excluded), and records the VM and its volumes in a VirtualMachineSnapshotContent;
// a VirtualMachineRestore makes new claims from those snapshots and points the VM at them.
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { vmPath } from '../kubevirt/paths.ts';
import { runStrategy } from '../kubevirt/run-strategy.ts';
import { nowIso, type VM } from '../kubevirt/types.ts';
import { domains } from '../handler/domains.ts';
import { Controller } from './controller.ts';
import { Store } from './queue.ts';
import { sameJson } from '../kube/same-json.ts';

const snapApi = '/apis/snapshot.kubevirt.io/v1beta1';
const csiApi = '/apis/snapshot.storage.k8s.io/v1';
const snapshotFinalizer = 'snapshot.kubevirt.io/vmsnapshot-protection';
const contentFinalizer = 'snapshot.kubevirt.io/vmsnapshotcontent-protection';
const restoreFinalizer = 'snapshot.kubevirt.io/vmrestore-protection';
const LAST_RESTORE = 'restore.kubevirt.io/lastRestoreUID';

type Cond = { type: string; status: string; reason: string; lastProbeTime: null; lastTransitionTime: string };
const cond = (type: string, status: string, reason: string): Cond => ({ type, status, reason, lastProbeTime: null, lastTransitionTime: nowIso() });

interface VmSnapshot extends KubeObject {
  spec: { source: { apiGroup?: string; kind: string; name: string }; deletionPolicy?: string };
  status?: Record<string, unknown> & { phase?: string; virtualMachineSnapshotContentName?: string };
}
interface VmRestore extends KubeObject {
  spec: { target: { name: string }; virtualMachineSnapshotName: string };
  status?: Record<string, unknown> & { complete?: boolean };
}
interface VolumeBackup {
  volumeName: string;
  persistentVolumeClaim: { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
  volumeSnapshotName: string;
}
type Volume = { name: string; persistentVolumeClaim?: { claimName: string }; dataVolume?: { name: string } };
const claimsOf = (vm: VM) => ((vm.spec?.template?.spec?.volumes ?? []) as Volume[]).flatMap((v) => v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name ?? []);

export class SnapshotController extends Controller {
  private readonly snapshots = new Store<VmSnapshot>();
  private readonly restores = new Store<VmRestore>();
  private readonly snapQueue = this.workQueue('vmsnapshot', (k) => this.reconcileSnapshot(k));
  private readonly restoreQueue = this.workQueue('vmrestore', (k) => this.reconcileRestore(k));
  private readonly contents = new Store<KubeObject>();
  private readonly contentQueue = this.workQueue('vmsnapshotcontent', (k) => this.reconcileContent(k));
  private readonly vms = new Store<VM>();
  private readonly vmQueue = this.workQueue('vmsnapshotstatus', (k) => this.reconcileVolumeStatuses(k));

  constructor(kube: KubeClient) {
    super(kube);
    this.watch(`${snapApi}/virtualmachinesnapshots`, { store: this.snapshots, queue: this.snapQueue });
    this.watch(`${snapApi}/virtualmachinerestores`, { store: this.restores, queue: this.restoreQueue });
    this.watch(`${snapApi}/virtualmachinesnapshotcontents`, { store: this.contents, queue: this.contentQueue });
    // Volume snapshots becoming ready move their VM snapshots on.
    this.watch(`${csiApi}/volumesnapshots`, {
      onEvent: (_t, o) => {
        const owner = o?.metadata.labels?.['snapshot.kubevirt.io/source-vm-snapshot'];
        if (o && owner) this.snapQueue.add(`${o.metadata.namespace}/${owner}`);
      },
    });
    this.watch('/apis/kubevirt.io/v1/virtualmachines', { store: this.vms, queue: this.vmQueue });
    this.watch('/api/v1/persistentvolumeclaims', {
      onEvent: (_t, o) => {
        const owner = o?.metadata.labels?.['restore.kubevirt.io/source-vm-restore'];
        if (o && owner) this.restoreQueue.add(`${o.metadata.namespace}/${owner}`);
        // A claim made (or gone) after its VM changes what a snapshot of that VM would include.
        if (o) for (const vm of this.vms.list()) if (vm.metadata.namespace === o.metadata.namespace && claimsOf(vm).includes(o.metadata.name)) this.vmQueue.add(Store.key(vm));
      },
    });
  }

  /** For each VM volume: can it be snapshotted, and if not, why (KubeVirt's texts). */
  private async volumeSnapshotStatuses(ns: string, volumes: Volume[]) {
    // Asked only for a volume on a claim: most VMs (container disks) need no list, and every VM is reconciled when the
    // simulator starts.
    let classes: Promise<{ driver: string }[]> | undefined;
    const snapshotClasses = () => (classes ??= this.kube.get<{ items: { driver: string }[] }>(`${csiApi}/volumesnapshotclasses`).then((l) => l.items));
    return Promise.all(
      volumes.map(async (v) => {
        const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
        if (!claim) return { name: v.name, enabled: false, reason: `Snapshot is not supported for this volumeSource type [${v.name}]` };
        const pvc = await this.kube.find<{ spec: { storageClassName?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`);
        if (!pvc) return { name: v.name, enabled: false, reason: 'PVC not found' };
        const sc = pvc.spec.storageClassName;
        const provisioner = sc ? (await this.kube.find<{ provisioner: string }>(`/apis/storage.k8s.io/v1/storageclasses/${sc}`))?.provisioner : undefined;
        if (!provisioner || !(await snapshotClasses()).some((c) => c.driver === provisioner)) {
          return { name: v.name, enabled: false, reason: `No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass [${sc}] [${v.name}]` };
        }
        return { name: v.name, enabled: true };
      }),
    );
  }

  /** The VM's volumeSnapshotStatuses, written when they differ from what the VM says now. */
  private async reconcileVolumeStatuses(key: string) {
    const vm = this.vms.get(key);
    if (!vm || vm.metadata.deletionTimestamp) return;
    const ns = vm.metadata.namespace!;
    const statuses = await this.volumeSnapshotStatuses(ns, (vm.spec?.template?.spec?.volumes ?? []) as Volume[]);
    const now = (vm.status as { volumeSnapshotStatuses?: unknown[] } | undefined)?.volumeSnapshotStatuses ?? [];
    if (sameJson(statuses, now)) return;
    await this.kube.patch(`${vmPath(ns, vm.metadata.name)}/status`, { status: { volumeSnapshotStatuses: statuses.length ? statuses : null } });
  }

  private async patchStatus(path: string, status: object) {
    await this.kube.patch(`${path}/status`, { status });
  }

  private async reconcileSnapshot(key: string) {
    const s = this.snapshots.get(key);
    if (!s) return;
    const ns = s.metadata.namespace!;
    const path = `${snapApi}/namespaces/${ns}/virtualmachinesnapshots/${s.metadata.name}`;
    const contentName = `vmsnapshot-content-${s.metadata.uid}`;
    const contentPath = `${snapApi}/namespaces/${ns}/virtualmachinesnapshotcontents/${contentName}`;
    if (s.metadata.deletionTimestamp) {
      if ((s.spec.deletionPolicy ?? 'Delete') === 'Delete') await this.kube.delete(contentPath);
      await this.unlock(ns, s.spec.source.name, 'snapshotInProgress', s.metadata.name);
      await this.kube.patch(path, { metadata: { finalizers: (s.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizer) } });
      return;
    }
    if (!s.metadata.finalizers?.includes(snapshotFinalizer)) {
      await this.kube.patch(path, { metadata: { finalizers: [...(s.metadata.finalizers ?? []), snapshotFinalizer] } });
      return;
    }
    const phase = s.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const vm = await this.kube.find<VM>(vmPath(ns, s.spec.source.name));
    if (!vm) {
      await this.patchStatus(path, { phase: 'InProgress', readyToUse: false, conditions: [cond('Progressing', 'False', 'Source does not exist'), cond('Ready', 'False', 'Not ready')] });
      return;
    }
    const volumes = (vm.spec?.template?.spec?.volumes ?? []) as Volume[];
    const statuses = await this.volumeSnapshotStatuses(ns, volumes);
    let content = await this.kube.find<KubeObject & { spec: { volumeBackups?: VolumeBackup[] } }>(contentPath);
    if (!content) {
      // Lock the source and record it; the VM's volumes are snapshotted in the state they have now.
      await this.kube.patch(`${vmPath(ns, vm.metadata.name)}/status`, { status: { snapshotInProgress: s.metadata.name, volumeSnapshotStatuses: statuses } });
      const online = !!domains.get(ns, vm.metadata.name);
      const indications = online ? ['Online', ...(await this.quiesce(ns, vm.metadata.name))] : [];
      await this.patchStatus(path, {
        phase: 'InProgress', readyToUse: false, sourceUID: vm.metadata.uid, indications,
        conditions: [cond('Progressing', 'True', 'Source locked and operation in progress'), cond('Ready', 'False', 'Not ready')],
      });
      const backups: VolumeBackup[] = [];
      for (const st of statuses.filter((x) => x.enabled)) {
        const v = volumes.find((x) => x.name === st.name)!;
        const claim = (v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name)!;
        const pvc = await this.kube.get<KubeObject & { spec: Record<string, unknown> }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`);
        const vsName = `vmsnapshot-${s.metadata.uid}-volume-${v.name}`;
        await this.kube.create(`${csiApi}/namespaces/${ns}/volumesnapshots`, {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshot',
          metadata: { name: vsName, namespace: ns, labels: { 'snapshot.kubevirt.io/source-vm-snapshot': s.metadata.name } },
          spec: { source: { persistentVolumeClaimName: claim } },
        });
        const { volumeName: _bound, dataSource: _ds, dataSourceRef: _dsr, ...spec } = pvc.spec;
        backups.push({ volumeName: v.name, persistentVolumeClaim: { metadata: { name: claim, namespace: ns }, spec }, volumeSnapshotName: vsName });
      }
      content = await this.kube.create(`${snapApi}/namespaces/${ns}/virtualmachinesnapshotcontents`, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshotContent',
        metadata: { name: contentName, namespace: ns, finalizers: [contentFinalizer] },
        spec: {
          virtualMachineSnapshotName: s.metadata.name,
          source: { virtualMachine: { metadata: { name: vm.metadata.name, namespace: ns, uid: vm.metadata.uid, labels: vm.metadata.labels, generation: vm.metadata.generation }, spec: vm.spec } },
          volumeBackups: backups,
        },
      });
      await this.patchStatus(path, { virtualMachineSnapshotContentName: contentName });
    }
    const backups = content?.spec.volumeBackups ?? [];
    const vsStatus = await Promise.all(
      backups.map(async (b) => {
        const vs = await this.kube.find<{ status?: { readyToUse?: boolean; creationTime?: string; error?: unknown } }>(`${csiApi}/namespaces/${ns}/volumesnapshots/${b.volumeSnapshotName}`);
        return { volumeSnapshotName: b.volumeSnapshotName, readyToUse: !!vs?.status?.readyToUse, creationTime: vs?.status?.creationTime, error: vs?.status?.error };
      }),
    );
    if (!vsStatus.every((v) => v.readyToUse)) return; // a volume snapshot event brings us back
    const creationTime = nowIso();
    await this.patchStatus(contentPath, { readyToUse: true, creationTime, volumeSnapshotStatus: vsStatus });
    const included = backups.map((b) => b.volumeName);
    await this.patchStatus(path, {
      phase: 'Succeeded', readyToUse: true, creationTime, virtualMachineSnapshotContentName: contentName,
      conditions: [cond('Progressing', 'False', 'Operation complete'), cond('Ready', 'True', 'Ready')],
      snapshotVolumes: { includedVolumes: included, excludedVolumes: statuses.filter((x) => !included.includes(x.name)).map((x) => x.name) },
    });
    await this.unlock(ns, vm.metadata.name, 'snapshotInProgress', s.metadata.name);
  }

  /**
   * A content being deleted (its snapshot went with the Delete policy, or someone deleted it) lets go, as KubeVirt's
   * controller does: without this every deleted content stayed Terminating for good.
   */
  private async reconcileContent(key: string) {
    const c = this.contents.get(key);
    if (!c?.metadata.deletionTimestamp || !c.metadata.finalizers?.includes(contentFinalizer)) return;
    await this.kube.patch(`${snapApi}/namespaces/${c.metadata.namespace}/virtualmachinesnapshotcontents/${c.metadata.name}`, {
      metadata: { finalizers: c.metadata.finalizers.filter((f) => f !== contentFinalizer) },
    });
  }

  /** Freezes the guest's filesystems through the agent; what the snapshot's indications then say. */
  private async quiesce(ns: string, name: string): Promise<string[]> {
    const d = domains.get(ns, name);
    try {
      await d!.agent.call('guest-ping', undefined, 1000);
    } catch {
      return ['NoGuestAgent'];
    }
    try {
      await d!.agent.call('guest-fsfreeze-freeze', undefined, 2000);
      await d!.agent.call('guest-fsfreeze-thaw', undefined, 2000);
      return ['GuestAgent'];
    } catch {
      return ['GuestAgent', 'QuiesceFailed'];
    }
  }

  private async unlock(ns: string, vmName: string, field: 'snapshotInProgress' | 'restoreInProgress', holder: string) {
    const vm = await this.kube.find<VM>(vmPath(ns, vmName));
    if (vm && (vm.status as Record<string, unknown> | undefined)?.[field] === holder) {
      await this.kube.patch(`${vmPath(ns, vmName)}/status`, { status: { [field]: null } });
    }
  }

  private async reconcileRestore(key: string) {
    const r = this.restores.get(key);
    if (!r) return;
    const ns = r.metadata.namespace!;
    const path = `${snapApi}/namespaces/${ns}/virtualmachinerestores/${r.metadata.name}`;
    if (r.metadata.deletionTimestamp) {
      await this.unlock(ns, r.spec.target.name, 'restoreInProgress', r.metadata.name);
      await this.kube.patch(path, { metadata: { finalizers: (r.metadata.finalizers ?? []).filter((f) => f !== restoreFinalizer) } });
      return;
    }
    if (!r.metadata.finalizers?.includes(restoreFinalizer)) {
      await this.kube.patch(path, { metadata: { finalizers: [...(r.metadata.finalizers ?? []), restoreFinalizer] } });
      return;
    }
    if (r.status?.complete) return;
    const fail = (reason: string) =>
      this.patchStatus(path, { complete: false, conditions: [cond('Progressing', 'False', reason), cond('Ready', 'False', reason), cond('Failure', 'True', reason)] });
    const snap = await this.kube.find<VmSnapshot>(`${snapApi}/namespaces/${ns}/virtualmachinesnapshots/${r.spec.virtualMachineSnapshotName}`);
    if (!snap?.status?.readyToUse || !snap.status.virtualMachineSnapshotContentName) return fail(`VirtualMachineSnapshot ${r.spec.virtualMachineSnapshotName} is not ready`);
    const content = await this.kube.get<KubeObject & { spec: { source: { virtualMachine: { metadata?: object; spec: VM['spec'] } }; volumeBackups?: VolumeBackup[] } }>(
      `${snapApi}/namespaces/${ns}/virtualmachinesnapshotcontents/${snap.status.virtualMachineSnapshotContentName}`,
    );
    const target = await this.kube.find<VM>(vmPath(ns, r.spec.target.name));
    if (target && domains.get(ns, r.spec.target.name)) {
      // WaitGracePeriod: the target must be stopped before its disks are replaced.
      await this.patchStatus(path, { complete: false, conditions: [cond('Progressing', 'True', 'Waiting for target to be ready'), cond('Ready', 'False', 'Not ready')] });
      this.restoreQueue.after(key, 2000);
      return;
    }
    if (target) await this.kube.patch(`${vmPath(ns, r.spec.target.name)}/status`, { status: { restoreInProgress: r.metadata.name } });
    const restores = (content.spec.volumeBackups ?? []).map((b) => ({
      volumeName: b.volumeName,
      persistentVolumeClaim: `restore-${r.metadata.uid}-${b.volumeName}`,
      volumeSnapshotName: b.volumeSnapshotName,
      backup: b,
    }));
    let bound = true;
    for (const x of restores) {
      const claim = await this.kube.find<{ status?: { phase?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${x.persistentVolumeClaim}`);
      if (!claim) {
        await this.kube.create(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: x.persistentVolumeClaim, namespace: ns, labels: { 'restore.kubevirt.io/source-vm-restore': r.metadata.name } },
          spec: { ...x.backup.persistentVolumeClaim.spec, dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: x.volumeSnapshotName } },
        });
      }
      bound &&= claim?.status?.phase === 'Bound';
    }
    if (!bound) {
      await this.patchStatus(path, { complete: false, restores: restores.map(({ backup: _b, ...x }) => x), conditions: [cond('Progressing', 'True', 'Waiting for new PVCs'), cond('Ready', 'False', 'Not ready')] });
      return;
    }
    const template = structuredClone(content.spec.source.virtualMachine.spec!.template!);
    for (const v of (template.spec?.volumes ?? []) as Volume[]) {
      const x = restores.find((y) => y.volumeName === v.name);
      if (!x) continue;
      if (v.persistentVolumeClaim) v.persistentVolumeClaim.claimName = x.persistentVolumeClaim;
      if (v.dataVolume) {
        delete (v as { dataVolume?: unknown }).dataVolume;
        (v as Volume).persistentVolumeClaim = { claimName: x.persistentVolumeClaim };
      }
    }
    // The VM a restore wrote carries the restore's mark (KubeVirt's restore.kubevirt.io/lastRestoreUID), so a second
    // pass (the restore reconciled again before its status says complete) leaves it alone. Without it a VM this
    // restore had just created as a new machine got the source's template back, MACs and all (a clone's e2e saw the
    // source's MAC on the clone).
    const mark = r.metadata.uid ?? r.metadata.name;
    const done = target?.metadata.annotations?.[LAST_RESTORE] === mark;
    if (target && !done) {
      await this.kube.patch(vmPath(ns, r.spec.target.name), [
        { op: 'replace', path: '/spec/template', value: template },
        target.metadata.annotations
          ? { op: 'add', path: `/metadata/annotations/${LAST_RESTORE.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: mark }
          : { op: 'add', path: '/metadata/annotations', value: { [LAST_RESTORE]: mark } },
      ], 'json');
    } else if (!target) {
      // A restore to a VM that does not exist yet (what a clone does) creates it, as a new machine: new MACs and
      // firmware identity, the source's run strategy.
      for (const i of (template.spec?.domain?.devices?.interfaces ?? []) as { macAddress?: string }[]) delete i.macAddress;
      if (template.spec?.domain?.firmware) delete (template.spec.domain.firmware as { uuid?: string }).uuid;
      const source = content.spec.source.virtualMachine;
      await this.kube.create(vmPath(ns), {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: {
          name: r.spec.target.name,
          namespace: ns,
          labels: (source as { metadata?: { labels?: object } }).metadata?.labels,
          annotations: { [LAST_RESTORE]: mark },
        },
        spec: { runStrategy: runStrategy(source).strategy, template },
      });
    }
    await this.unlock(ns, r.spec.target.name, 'restoreInProgress', r.metadata.name);
    await this.patchStatus(path, {
      complete: true, restoreTime: nowIso(), restores: restores.map(({ backup: _b, ...x }) => x),
      conditions: [cond('Progressing', 'False', 'Operation complete'), cond('Ready', 'True', 'Operation complete')],
    });
  }
}
