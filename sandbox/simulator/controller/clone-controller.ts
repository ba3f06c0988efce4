// KubeVirt's VirtualMachineClone: a snapshot of the source, then a restore of it to a VM that does not exist yet
// (SnapshotInProgress -> CreatingTargetVM -> RestoreInProgress -> Succeeded); the interim snapshot and restore
// are removed once the clone has succeeded. A VirtualMachineSnapshot as the source is restored as it is (no
// interim snapshot, and the user's snapshot is kept).
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { vmPath } from '../kubevirt/paths.ts';
import { nowIso } from '../kubevirt/types.ts';
import { Controller } from './controller.ts';
import { Store } from './queue.ts';

const cloneApi = '/apis/clone.kubevirt.io/v1beta1';
const snapApi = '/apis/snapshot.kubevirt.io/v1beta1';

interface VmClone extends KubeObject {
  spec: { source: { kind: string; name: string }; target?: { kind?: string; name?: string } };
  status?: { phase?: string; snapshotName?: string; restoreName?: string; targetName?: string };
}

export class CloneController extends Controller {
  private readonly clones = new Store<VmClone>();
  private readonly queue = this.workQueue('vmclone', (k) => this.reconcile(k));

  constructor(kube: KubeClient) {
    super(kube);
    this.watch(`${cloneApi}/virtualmachineclones`, { store: this.clones, queue: this.queue });
  }

  private async setStatus(c: VmClone, status: Record<string, unknown>) {
    const cond = (type: string, s: string, reason: string) => ({ type, status: s, reason, lastProbeTime: null, lastTransitionTime: nowIso() });
    const done = status.phase === 'Succeeded';
    const failed = status.phase === 'Failed';
    await this.kube.patch(`${cloneApi}/namespaces/${c.metadata.namespace}/virtualmachineclones/${c.metadata.name}/status`, {
      status: {
        ...status,
        conditions: [cond('Progressing', done || failed ? 'False' : 'True', String(status.phase)), cond('Ready', done ? 'True' : 'False', String(status.phase))],
      },
    });
  }

  private async reconcile(key: string) {
    const c = this.clones.get(key);
    if (!c || c.metadata.deletionTimestamp) return;
    const ns = c.metadata.namespace!;
    const phase = c.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const uid = c.metadata.uid!;
    const fromSnapshot = c.spec.source.kind === 'VirtualMachineSnapshot';
    const snapshotName = fromSnapshot ? c.spec.source.name : `tmp-snapshot-${uid}`;
    const restoreName = `tmp-restore-${uid}`;
    const targetName = c.spec.target?.name ?? `clone-${uid.slice(0, 8)}-${c.spec.source.name}`.slice(0, 63);
    if (c.spec.source.kind !== 'VirtualMachine' && !fromSnapshot) return this.setStatus(c, { phase: 'Failed', targetName });
    if (!fromSnapshot && !(await this.kube.find(vmPath(ns, c.spec.source.name)))) return this.setStatus(c, { phase: 'Failed', targetName });

    const snap = await this.kube.find<KubeObject & { status?: { phase?: string } }>(`${snapApi}/namespaces/${ns}/virtualmachinesnapshots/${snapshotName}`);
    if (!snap && fromSnapshot) return this.setStatus(c, { phase: 'Failed', targetName });
    if (!snap) {
      if (await this.kube.find(vmPath(ns, targetName))) return this.setStatus(c, { phase: 'Failed', targetName });
      await this.kube.create(`${snapApi}/namespaces/${ns}/virtualmachinesnapshots`, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshot',
        metadata: { name: snapshotName, namespace: ns },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: c.spec.source.name } },
      });
      await this.setStatus(c, { phase: 'SnapshotInProgress', snapshotName, targetName, creationTime: nowIso() });
    }
    if (snap?.status?.phase === 'Failed') return this.setStatus(c, { phase: 'Failed', snapshotName, targetName });
    if (snap?.status?.phase !== 'Succeeded') return this.queue.after(key, 1000);

    const restore = await this.kube.find<KubeObject & { status?: { complete?: boolean } }>(`${snapApi}/namespaces/${ns}/virtualmachinerestores/${restoreName}`);
    if (!restore) {
      if (fromSnapshot && (await this.kube.find(vmPath(ns, targetName)))) return this.setStatus(c, { phase: 'Failed', snapshotName, targetName });
      await this.setStatus(c, { phase: 'CreatingTargetVM', snapshotName, targetName });
      await this.kube.create(`${snapApi}/namespaces/${ns}/virtualmachinerestores`, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineRestore',
        metadata: { name: restoreName, namespace: ns },
        spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: targetName }, virtualMachineSnapshotName: snapshotName },
      });
      await this.setStatus(c, { phase: 'RestoreInProgress', snapshotName, restoreName, targetName });
    }
    if (!restore?.status?.complete) return this.queue.after(key, 1000);
    await this.kube.delete(`${snapApi}/namespaces/${ns}/virtualmachinerestores/${restoreName}`);
    if (!fromSnapshot) await this.kube.delete(`${snapApi}/namespaces/${ns}/virtualmachinesnapshots/${snapshotName}`);
    await this.setStatus(c, { phase: 'Succeeded', targetName });
  }
}
