// The CSI snapshotter for the sandbox's drivers: a VolumeSnapshot of a claim on a snapshot-capable class becomes a
// VolumeSnapshotContent with a sparse copy of the volume's file; drivers without snapshots leave an error on it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuantity } from '../../../lib/kubevirt/quantity.ts';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { OneAtATime } from './one-at-a-time.ts';
import { drivers } from './classes.ts';
import { volumeFile } from './provisioner.ts';

interface VolumeSnapshot extends KubeObject {
  spec: { source: { persistentVolumeClaimName?: string }; volumeSnapshotClassName?: string };
  status?: { readyToUse?: boolean; boundVolumeSnapshotContentName?: string; error?: unknown };
}
interface SnapshotClass extends KubeObject {
  driver: string;
  deletionPolicy: string;
}
interface Content extends KubeObject {
  spec: { deletionPolicy: string; driver: string; volumeSnapshotRef: { name: string; namespace: string; uid?: string } };
  status?: { snapshotHandle?: string };
}

export const snapshotFile = (volumesDir: string, handle: string) => join(volumesDir, 'snapshots', `${handle}.img`);
const api = '/apis/snapshot.storage.k8s.io/v1';

export class Snapshotter {
  private stops: (() => void)[] = [];
  private readonly work = new OneAtATime('snapshotter');

  constructor(
    private readonly kube: KubeClient,
    private readonly volumesDir: string,
  ) {}

  start() {
    mkdirSync(join(this.volumesDir, 'snapshots'), { recursive: true });
    this.stops.push(
      this.kube.informer(`${api}/volumesnapshots`, (type, o) => {
        if (o && type !== 'DELETED') void this.work.run(`vs/${o.metadata.uid}`, () => this.snapshot(o as VolumeSnapshot));
      }),
      this.kube.informer(`${api}/volumesnapshotcontents`, (type, o) => {
        if (o && type !== 'DELETED') void this.work.run(`vsc/${o.metadata.uid}`, () => this.reclaim(o as Content));
      }),
    );
  }


  private async setStatus(vs: VolumeSnapshot, status: object) {
    await this.kube.patch(`${api}/namespaces/${vs.metadata.namespace}/volumesnapshots/${vs.metadata.name}/status`, { status });
  }

  private async snapshot(vs: VolumeSnapshot) {
    if (vs.metadata.deletionTimestamp || vs.status?.readyToUse || vs.status?.error) return;
    const ns = vs.metadata.namespace!;
    const claim = vs.spec.source.persistentVolumeClaimName;
    const pvc = claim ? await this.kube.find<{ spec: { volumeName?: string; storageClassName?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`) : undefined;
    const fail = (message: string) => this.setStatus(vs, { readyToUse: false, error: { message, time: new Date().toISOString() } });
    if (!pvc?.spec.volumeName) return fail(`the source claim ${claim} does not exist or is not bound`);
    const pv = await this.kube.get<{ spec: { csi?: { driver: string } } }>(`/api/v1/persistentvolumes/${pvc.spec.volumeName}`);
    const driver = pv.spec.csi?.driver ?? '';
    if (!drivers[driver]?.snapshots) return fail(`driver ${driver} does not support snapshots`);
    const classes = (await this.kube.get<{ items: SnapshotClass[] }>(`${api}/volumesnapshotclasses`)).items;
    const cls = vs.spec.volumeSnapshotClassName
      ? classes.find((c) => c.metadata.name === vs.spec.volumeSnapshotClassName)
      : classes.find((c) => c.driver === driver && c.metadata.annotations?.['snapshot.storage.kubernetes.io/is-default-class'] === 'true');
    if (!cls || cls.driver !== driver) return fail(`no VolumeSnapshotClass for driver ${driver}`);

    const contentName = `snapcontent-${vs.metadata.uid}`;
    const handle = contentName;
    execFileSync('cp', ['--sparse=always', volumeFile(this.volumesDir, pvc.spec.volumeName), snapshotFile(this.volumesDir, handle)]);
    const size = (await this.kube.get<{ status?: { capacity?: { storage?: string } } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`)).status?.capacity?.storage;
    const restoreSize = size ?? '1Gi';
    const created = Date.now();
    if (!(await this.kube.find(`${api}/volumesnapshotcontents/${contentName}`))) {
      await this.kube.create(`${api}/volumesnapshotcontents`, {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotContent',
        metadata: { name: contentName },
        spec: {
          deletionPolicy: cls.deletionPolicy,
          driver,
          source: { volumeHandle: pvc.spec.volumeName },
          volumeSnapshotClassName: cls.metadata.name,
          volumeSnapshotRef: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', name: vs.metadata.name, namespace: ns, uid: vs.metadata.uid },
        },
      });
    }
    await this.kube.patch(`${api}/volumesnapshotcontents/${contentName}/status`, {
      status: { snapshotHandle: handle, readyToUse: true, creationTime: created * 1_000_000, restoreSize: parseBytes(restoreSize) },
    });
    await this.setStatus(vs, {
      boundVolumeSnapshotContentName: contentName,
      readyToUse: true,
      creationTime: new Date(created).toISOString().replace(/\.\d+Z$/, 'Z'),
      restoreSize,
    });
  }

  /** A content whose snapshot is gone: delete the copy (deletionPolicy Delete). */
  private async reclaim(c: Content) {
    const ref = c.spec.volumeSnapshotRef;
    if (c.spec.deletionPolicy !== 'Delete' || !drivers[c.spec.driver]) return;
    const vs = await this.kube.find<VolumeSnapshot>(`${api}/namespaces/${ref.namespace}/volumesnapshots/${ref.name}`);
    if (vs && vs.metadata.uid === ref.uid) return;
    rmSync(snapshotFile(this.volumesDir, c.status?.snapshotHandle ?? c.metadata.name), { force: true });
    await this.kube.delete(`${api}/volumesnapshotcontents/${c.metadata.name}`);
  }

  stop() {
    for (const s of this.stops) s();
  }
}

/** restoreSize is int64 bytes in the content's status: Quantity.Value(), 0 if the claim's capacity is unreadable. */
const parseBytes = (q: string) => Math.ceil(parseQuantity(q) ?? 0);
