// CDI for the sandbox: DataVolumes make their claim and fill it (a registry image becomes a bootable disk of the
// matching built-in guest, an http source is downloaded from loopback, a pvc source is cloned, blank stays empty),
// reporting phase and progress as CDI does; DataSources report Ready once their source claim is populated.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { nowIso } from '../kubevirt/types.ts';
import { wholeQuantity } from '../kube/quantity.ts';
import { guestImageFor } from '../handler/guest-images.ts';
import { volumeFile } from '../storage/provisioner.ts';
import { simNodes } from '../nodes/fleet.ts';
import { Controller } from '../controller/controller.ts';
import { Store } from '../controller/queue.ts';
import { claimPropertySetsFor } from './storage-profiles.ts';

const cdi = '/apis/cdi.kubevirt.io/v1beta1';

export interface DataVolume extends KubeObject {
  spec: {
    source?: { registry?: { url: string }; http?: { url: string }; pvc?: { namespace: string; name: string }; blank?: object };
    sourceRef?: { kind: string; namespace?: string; name: string };
    pvc?: Record<string, unknown>;
    storage?: { accessModes?: string[]; volumeMode?: string; storageClassName?: string; resources?: { requests?: { storage?: string } } };
  };
  status?: { phase?: string; progress?: string };
}
interface DataSource extends KubeObject {
  spec: { source: { pvc?: { namespace: string; name: string } } };
  status?: { conditions?: { type: string; status: string }[] };
}
interface Claim extends KubeObject {
  spec: { volumeName?: string; storageClassName?: string };
  status?: { phase?: string };
}

/**
 * CDI v1.62's GetRequiredSpace (pkg/controller/common/util.go): a Filesystem claim of a DataVolume's `storage` is
 * asked for the size aligned to 1Mi and grown so that the global filesystem overhead (5.5%) is left for the file
 * system, so the disk image inside still gets the whole size the user asked for.
 */
export function requiredSpace(bytes: number, volumeMode: string, overhead = 0.055): number {
  if (volumeMode !== 'Filesystem') return bytes;
  const Mi = 1024 ** 2;
  return Math.ceil((Math.ceil(bytes / Mi) * Mi) / (1 - overhead));
}

/** The ext4 label of a disk image: what the launcher boots when a VM's root disk is a claim. */
export function diskLabel(file: string): string {
  try {
    const buf = execFileSync('dd', [`if=${file}`, 'bs=1', 'skip=1144', 'count=16', 'status=none']);
    return buf.toString('latin1').replace(/\0.*$/s, '');
  } catch {
    return '';
  }
}

export class DataVolumeController extends Controller {
  private readonly dvs = new Store<DataVolume>();
  private readonly queue = this.workQueue('datavolume', (k) => this.reconcile(k));
  private readonly sourcesQueue = this.workQueue('datasource', (k) => this.reconcileSource(k));
  private readonly sources = new Store<DataSource>();

  constructor(
    kube: KubeClient,
    private readonly volumesDir: string,
  ) {
    super(kube);
    this.watch(`${cdi}/datavolumes`, {
      store: this.dvs,
      queue: this.queue,
      // A DataSource's readiness follows the DataVolume that fills its claim.
      onEvent: () => {
        for (const s of this.sources.list()) this.sourcesQueue.add(Store.key(s));
      },
    });
    this.watch(`${cdi}/datasources`, { store: this.sources, queue: this.sourcesQueue });
    this.watch('/api/v1/persistentvolumeclaims', {
      onEvent: (_t, o) => {
        if (o && this.dvs.get(Store.key(o))) this.queue.add(Store.key(o));
      },
    });
  }

  private async setStatus(dv: DataVolume, phase: string, progress: string, extra: object = {}) {
    const now = nowIso();
    const c = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message, lastTransitionTime: now, lastHeartbeatTime: now });
    const done = phase === 'Succeeded';
    await this.kube.patch(`${cdi}/namespaces/${dv.metadata.namespace}/datavolumes/${dv.metadata.name}/status`, {
      status: {
        phase,
        progress,
        claimName: dv.metadata.name,
        restartCount: 0,
        conditions: [
          c('Bound', ['Pending', 'WaitForFirstConsumer'].includes(phase) ? 'False' : 'True', ['Pending', 'WaitForFirstConsumer'].includes(phase) ? 'Pending' : 'Bound'),
          c('Ready', done ? 'True' : 'False', done ? 'Completed' : phase),
          c('Running', !done && phase.endsWith('InProgress') ? 'True' : 'False', done ? 'Completed' : phase),
        ],
        ...extra,
      },
    });
  }

  /** The claim a DataVolume asks for: spec.pvc as written, or spec.storage with the class's defaults filled in. */
  private async claimSpec(dv: DataVolume): Promise<Record<string, unknown>> {
    if (dv.spec.pvc) return dv.spec.pvc;
    const st = dv.spec.storage ?? {};
    const classes = (await this.kube.get<{ items: (KubeObject & { provisioner: string })[] }>('/apis/storage.k8s.io/v1/storageclasses')).items;
    const sc = st.storageClassName ?? classes.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')?.metadata.name;
    const provisioner = classes.find((c) => c.metadata.name === sc)?.provisioner ?? '';
    // CDI fills what the claim leaves out from the class's StorageProfile: the first property set that matches what
    // the DataVolume did say.
    const sets = claimPropertySetsFor(provisioner);
    const set = sets.find((p) => (!st.volumeMode || p.volumeMode === st.volumeMode) && (!st.accessModes || st.accessModes.every((m) => p.accessModes.includes(m)))) ?? sets[0];
    const accessModes = st.accessModes ?? set?.accessModes ?? ['ReadWriteOnce'];
    const volumeMode = st.volumeMode ?? set?.volumeMode ?? 'Filesystem';
    const size = wholeQuantity(st.resources?.requests?.storage ?? '1Gi');
    return { storageClassName: sc, accessModes, volumeMode, resources: { requests: { storage: String(requiredSpace(size, volumeMode)) } } };
  }

  private async reconcile(key: string) {
    const dv = this.dvs.get(key);
    if (!dv || dv.metadata.deletionTimestamp) return;
    const ns = dv.metadata.namespace!;
    if (dv.status?.phase === 'Succeeded' || dv.status?.phase === 'Failed') return;
    const claimPath = `/api/v1/namespaces/${ns}/persistentvolumeclaims/${dv.metadata.name}`;
    let claim = await this.kube.find<Claim>(claimPath);
    if (!claim) {
      const spec = await this.claimSpec(dv);
      claim = await this.kube.create<Claim>(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: dv.metadata.name,
          namespace: ns,
          labels: { app: 'containerized-data-importer', 'app.kubernetes.io/component': 'storage' },
          annotations: { 'cdi.kubevirt.io/storage.contentType': 'kubevirt' },
          ownerReferences: [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: dv.metadata.name, uid: dv.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        },
        spec,
      });
      await this.setStatus(dv, 'Pending', 'N/A');
    }
    if (claim.status?.phase !== 'Bound') {
      // A node-local class binds where its first user runs; CDI's populator pod is that user.
      const sc = claim.spec.storageClassName && (await this.kube.find<{ volumeBindingMode?: string }>(`/apis/storage.k8s.io/v1/storageclasses/${claim.spec.storageClassName}`));
      if (sc && sc.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.['volume.kubernetes.io/selected-node']) {
        const node = simNodes.find((n) => n.role === 'worker')!.name;
        await this.kube.patch(claimPath, { metadata: { annotations: { 'volume.kubernetes.io/selected-node': node } } });
      }
      return; // the claim's binding brings us back
    }
    const file = volumeFile(this.volumesDir, claim.spec.volumeName!);
    const src = await this.resolveSource(dv);
    try {
      if (src.kind === 'registry') {
        await this.setStatus(dv, 'ImportInProgress', '0.00%');
        writeBootDisk(file, src.url);
      } else if (src.kind === 'http') {
        await this.setStatus(dv, 'ImportInProgress', '0.00%');
        await download(src.url, file, (p) => void this.setStatus(dv, 'ImportInProgress', p).catch(() => {}));
      } else if (src.kind === 'pvc') {
        await this.setStatus(dv, 'CloneInProgress', '0.00%');
        const from = await this.kube.get<Claim>(`/api/v1/namespaces/${src.namespace}/persistentvolumeclaims/${src.name}`);
        if (!from.spec.volumeName) throw new Error(`source claim ${src.namespace}/${src.name} is not bound`);
        execFileSync('cp', ['--sparse=always', volumeFile(this.volumesDir, from.spec.volumeName), file]);
      }
    } catch (e) {
      // CDI says why on the Running condition (reason Error): that is what a portal shows the user.
      const now = nowIso();
      const message = String((e as Error)?.message ?? e).slice(0, 300);
      await this.setStatus(dv, 'Failed', 'N/A', {
        conditions: [
          { type: 'Bound', status: 'True', reason: 'Bound', message: '', lastTransitionTime: now, lastHeartbeatTime: now },
          { type: 'Ready', status: 'False', reason: 'Error', message, lastTransitionTime: now, lastHeartbeatTime: now },
          { type: 'Running', status: 'False', reason: 'Error', message, lastTransitionTime: now, lastHeartbeatTime: now },
        ],
      });
      console.error(JSON.stringify({ msg: 'datavolume population failed', dv: key, error: String(e).slice(0, 300) }));
      return;
    }
    await this.setStatus(dv, 'Succeeded', '100.0%');
  }

  private async resolveSource(dv: DataVolume): Promise<{ kind: 'registry' | 'http'; url: string } | { kind: 'pvc'; namespace: string; name: string } | { kind: 'blank' }> {
    const s = dv.spec.source;
    if (s?.registry) return { kind: 'registry', url: s.registry.url };
    if (s?.http) return { kind: 'http', url: s.http.url };
    if (s?.pvc) return { kind: 'pvc', namespace: s.pvc.namespace, name: s.pvc.name };
    if (dv.spec.sourceRef?.kind === 'DataSource') {
      const ds = await this.kube.get<DataSource>(`${cdi}/namespaces/${dv.spec.sourceRef.namespace ?? dv.metadata.namespace}/datasources/${dv.spec.sourceRef.name}`);
      if (ds.spec.source.pvc) return { kind: 'pvc', ...ds.spec.source.pvc };
    }
    return { kind: 'blank' };
  }

  private async reconcileSource(key: string) {
    const ds = this.sources.get(key);
    const pvc = ds?.spec.source.pvc;
    if (!ds || !pvc) return;
    const dv = this.dvs.get(`${pvc.namespace}/${pvc.name}`);
    const claim = await this.kube.find<Claim>(`/api/v1/namespaces/${pvc.namespace}/persistentvolumeclaims/${pvc.name}`);
    const ready = !!claim && claim.status?.phase === 'Bound' && (!dv || dv.status?.phase === 'Succeeded');
    const status = ready ? 'True' : 'False';
    if (ds.status?.conditions?.find((c) => c.type === 'Ready')?.status === status) return;
    // DataSource has no status subresource: CDI writes status with the object.
    await this.kube.patch(`${cdi}/namespaces/${ds.metadata.namespace}/datasources/${ds.metadata.name}`, {
      status: {
        source: { pvc },
        conditions: [{ type: 'Ready', status, reason: ready ? 'Ready' : 'NotFound', message: ready ? '' : `PVC ${pvc.namespace}/${pvc.name} is not ready`, lastTransitionTime: nowIso(), lastHeartbeatTime: nowIso() }],
      },
    });
  }
}

/** A registry image becomes an ext4 disk labelled with the matching guest's id and carrying its os-release. */
function writeBootDisk(file: string, url: string) {
  const image = guestImageFor(url);
  const dir = mkdtempSync(join(tmpdir(), 'cdi-import-'));
  try {
    writeFileSync(join(dir, 'os-release'), `ID=${image.id}\nPRETTY_NAME="${image.prettyName}"\nIMPORTED_FROM="${url}"\n`);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', image.id, '-d', dir, file], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Downloads an http source; only loopback hosts, since the sandbox has no other network. */
function download(url: string, file: string, progress: (p: string) => void): Promise<void> {
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return Promise.reject(new Error(`only loopback http sources are reachable: ${url}`));
  return new Promise((resolve, reject) => {
    http
      .get(u, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: ${res.statusCode}`));
        const total = Number(res.headers['content-length'] ?? 0);
        let done = 0;
        let last = 0;
        const out = createWriteStream(file, { flags: 'r+' });
        res.on('data', (c: Buffer) => {
          done += c.length;
          if (total && Date.now() - last > 500) {
            last = Date.now();
            progress(`${((done / total) * 100).toFixed(2)}%`);
          }
        });
        res.pipe(out);
        out.on('finish', () => resolve());
        out.on('error', reject);
      })
      .on('error', reject);
  });
}
