// A CSI external-provisioner for the sandbox's storage classes: claims become PersistentVolumes backed by sparse
// files under .sandbox/volumes; the real PV controller binds them; released volumes are deleted with their files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, truncateSync, closeSync, openSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { wholeQuantity } from '../kube/quantity.ts';
import { OneAtATime } from './one-at-a-time.ts';
import { drivers, unsupported } from './classes.ts';
import { snapshotFile } from './snapshotter.ts';

interface Pvc extends KubeObject {
  spec: {
    accessModes?: string[];
    volumeMode?: string;
    storageClassName?: string;
    volumeName?: string;
    resources?: { requests?: { storage?: string } };
    dataSource?: { kind: string; name: string; apiGroup?: string };
  };
  status?: { phase?: string; capacity?: { storage?: string } };
}
interface Pv extends KubeObject {
  spec: { csi?: { driver: string; volumeHandle: string }; persistentVolumeReclaimPolicy?: string; claimRef?: { namespace: string; name: string } };
  status?: { phase?: string };
}
interface StorageClass extends KubeObject {
  provisioner: string;
  volumeBindingMode?: string;
}

const selectedNode = 'volume.kubernetes.io/selected-node';

export function volumeFile(volumesDir: string, pvName: string) {
  return join(volumesDir, `${pvName}.img`);
}

export class Provisioner {
  private stops: (() => void)[] = [];
  private readonly work = new OneAtATime('provisioner');

  constructor(
    private readonly kube: KubeClient,
    private readonly volumesDir: string,
  ) {}

  start() {
    mkdirSync(this.volumesDir, { recursive: true });
    this.stops.push(
      this.kube.informer('/api/v1/persistentvolumeclaims', (type, o) => {
        if (o && type !== 'DELETED') void this.work.run(`pvc/${o.metadata.uid}`, async () => {
          await this.provision(o as Pvc);
          await this.expand(o as Pvc);
        });
      }),
      this.kube.informer('/api/v1/persistentvolumes', (type, o) => {
        if (o && type !== 'DELETED') void this.work.run(`pv/${o.metadata.uid}`, () => this.reclaim(o as Pv));
      }),
    );
  }


  private async provision(pvc: Pvc) {
    if (pvc.spec.volumeName || pvc.status?.phase !== 'Pending' || !pvc.spec.storageClassName) return;
    const sc = await this.kube.find<StorageClass>(`/apis/storage.k8s.io/v1/storageclasses/${pvc.spec.storageClassName}`);
    const driver = sc && drivers[sc.provisioner];
    if (!sc || !driver) return;
    const node = pvc.metadata.annotations?.[selectedNode];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !node) return;
    const ns = pvc.metadata.namespace!;
    const accessModes = pvc.spec.accessModes ?? ['ReadWriteOnce'];
    const volumeMode = pvc.spec.volumeMode ?? 'Filesystem';
    const why = unsupported(driver, accessModes, volumeMode);
    if (why) {
      await this.event(pvc, 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": rpc error: code = InvalidArgument desc = ${why}`, 'Warning');
      return;
    }
    const pvName = `pvc-${pvc.metadata.uid}`;
    if (await this.kube.find(`/api/v1/persistentvolumes/${pvName}`)) return;
    const size = pvc.spec.resources?.requests?.storage ?? '1Gi';
    const file = volumeFile(this.volumesDir, pvName);
    const source = await this.snapshotSource(pvc);
    if (source === null) return; // its snapshot is not ready yet
    if (source) execFileSync('cp', ['--sparse=always', source, file]);
    else if (!existsSync(file)) closeSync(openSync(file, 'w'));
    truncateSync(file, Math.max(wholeQuantity(size), statSync(file).size));
    await this.kube.create('/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner, 'volume.kubernetes.io/provisioner-deletion-secret-namespace': '' } },
      spec: {
        capacity: { storage: size },
        accessModes,
        volumeMode,
        storageClassName: sc.metadata.name,
        persistentVolumeReclaimPolicy: (sc as { reclaimPolicy?: string }).reclaimPolicy ?? 'Delete',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid },
        csi: { driver: sc.provisioner, volumeHandle: pvName, fsType: volumeMode === 'Filesystem' ? 'ext4' : undefined },
        ...(driver.nodeLocal && node
          ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }
          : {}),
      },
    });
    await this.event(pvc, 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, 'Normal');
  }

  /** A claim restored from a VolumeSnapshot starts as a copy of it: the file, or null while it is not ready. */
  private async snapshotSource(pvc: Pvc): Promise<string | undefined | null> {
    const ds = pvc.spec.dataSource;
    if (!ds || ds.kind !== 'VolumeSnapshot') return undefined;
    const vs = await this.kube.find<{ status?: { readyToUse?: boolean; boundVolumeSnapshotContentName?: string } }>(
      `/apis/snapshot.storage.k8s.io/v1/namespaces/${pvc.metadata.namespace}/volumesnapshots/${ds.name}`,
    );
    if (!vs?.status?.readyToUse || !vs.status.boundVolumeSnapshotContentName) return null;
    const content = await this.kube.get<{ status?: { snapshotHandle?: string } }>(
      `/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${vs.status.boundVolumeSnapshotContentName}`,
    );
    return snapshotFile(this.volumesDir, content.status?.snapshotHandle ?? vs.status.boundVolumeSnapshotContentName);
  }

  /**
   * The external-resizer's part: a bound claim asking for more than its capacity grows its file and its volume
   * (the API server's PersistentVolumeClaimResize admission already refused classes without allowVolumeExpansion).
   */
  private async expand(pvc: Pvc) {
    const want = pvc.spec.resources?.requests?.storage;
    const have = pvc.status?.capacity?.storage;
    if (pvc.status?.phase !== 'Bound' || !want || !have || !pvc.spec.volumeName) return;
    if (wholeQuantity(want) <= wholeQuantity(have)) return;
    const pv = await this.kube.find<Pv>(`/api/v1/persistentvolumes/${pvc.spec.volumeName}`);
    if (!pv?.spec.csi || !drivers[pv.spec.csi.driver]) return;
    truncateSync(volumeFile(this.volumesDir, pv.metadata.name), wholeQuantity(want));
    await this.kube.patch(`/api/v1/persistentvolumes/${pv.metadata.name}`, { spec: { capacity: { storage: want } } });
    await this.kube.patch(`/api/v1/namespaces/${pvc.metadata.namespace}/persistentvolumeclaims/${pvc.metadata.name}/status`, {
      status: { capacity: { storage: want }, allocatedResources: { storage: want } },
    });
    await this.event(pvc, 'VolumeResizeSuccessful', `resize volume "${pv.metadata.name}" finished successfully`, 'Normal');
  }

  private async reclaim(pv: Pv) {
    const driver = pv.spec.csi?.driver;
    if (!driver || !drivers[driver]) return;
    if (pv.status?.phase !== 'Released' || pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return;
    rmSync(volumeFile(this.volumesDir, pv.metadata.name), { force: true });
    await this.kube.delete(`/api/v1/persistentvolumes/${pv.metadata.name}`);
  }

  private async event(pvc: Pvc, reason: string, message: string, type: string) {
    const ns = pvc.metadata.namespace!;
    await this.kube
      .create(`/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${pvc.metadata.name}.`, namespace: ns },
        involvedObject: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: ns, uid: pvc.metadata.uid },
        reason,
        message,
        type,
        source: { component: 'sandbox-csi-provisioner' },
        firstTimestamp: new Date().toISOString(),
        lastTimestamp: new Date().toISOString(),
        count: 1,
      })
      .catch(() => {});
  }

  stop() {
    for (const s of this.stops) s();
  }
}
