import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type KubeClient, type KubeObject } from '../kube/client.ts';
import type { InformerEvent } from './controller.ts';
import { SnapshotController } from './snapshot-controller.ts';

// The VM snapshot controller's volumeSnapshotStatuses: written for every VM before any snapshot is taken (as
// KubeVirt's does), with KubeVirt's reasons, only when they change, and again when a claim the VM uses appears.

type Handler = (type: InformerEvent, o: KubeObject | undefined) => void;

class FakeKube {
  readonly objects = new Map<string, unknown>();
  readonly patches: { path: string; body: unknown }[] = [];
  readonly gets: string[] = [];
  readonly handlers = new Map<string, Handler>();
  informer(path: string, handler: Handler) {
    this.handlers.set(path, handler);
    return () => this.handlers.delete(path);
  }
  async get(path: string) {
    this.gets.push(path);
    if (!this.objects.has(path)) throw new ApiError(404, '{"kind":"Status","code":404}', `GET ${path}`);
    return structuredClone(this.objects.get(path));
  }
  async find(path: string) {
    return structuredClone(this.objects.get(path));
  }
  async patch(path: string, body: unknown) {
    this.patches.push({ path, body });
    return {};
  }
  emit(path: string, type: InformerEvent, o: object) {
    this.handlers.get(path)?.(type, o as KubeObject);
  }
}

const VMS = '/apis/kubevirt.io/v1/virtualmachines';
const PVCS = '/api/v1/persistentvolumeclaims';
const STATUS = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/vm-1/status';

function cluster() {
  const kube = new FakeKube();
  kube.objects.set('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses', { items: [{ driver: 'shared.csi.sandbox.kubevirt.io' }] });
  kube.objects.set('/apis/storage.k8s.io/v1/storageclasses/sandbox-shared', { provisioner: 'shared.csi.sandbox.kubevirt.io' });
  kube.objects.set('/apis/storage.k8s.io/v1/storageclasses/sandbox-local', { provisioner: 'local.csi.sandbox.kubevirt.io' });
  kube.objects.set('/api/v1/namespaces/team-a/persistentvolumeclaims/disk-shared', { spec: { storageClassName: 'sandbox-shared' } });
  kube.objects.set('/api/v1/namespaces/team-a/persistentvolumeclaims/disk-local', { spec: { storageClassName: 'sandbox-local' } });
  return kube;
}

const vm = (volumes: object[], status: object = {}) => ({
  metadata: { name: 'vm-1', namespace: 'team-a', resourceVersion: '1' },
  spec: { template: { spec: { domain: { devices: {} }, volumes } } },
  status,
});
const volumes = [
  { name: 'containerdisk', containerDisk: { image: 'x' } },
  { name: 'datadisk', persistentVolumeClaim: { claimName: 'disk-shared' } },
  { name: 'scratch', persistentVolumeClaim: { claimName: 'disk-local' } },
];
const expected = [
  { name: 'containerdisk', enabled: false, reason: 'Snapshot is not supported for this volumeSource type [containerdisk]' },
  { name: 'datadisk', enabled: true },
  { name: 'scratch', enabled: false, reason: 'No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass [sandbox-local] [scratch]' },
];

async function until(what: () => boolean) {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
}
const settle = () => new Promise((r) => setTimeout(r, 50));

let controller: SnapshotController | undefined;
afterEach(() => controller?.stop());

function start(kube: FakeKube) {
  controller = new SnapshotController(kube as unknown as KubeClient);
  controller.start();
}

describe('volumeSnapshotStatuses', () => {
  it('are written for a VM that has never been snapshotted, with KubeVirt\'s reasons', async () => {
    const kube = cluster();
    start(kube);
    kube.emit(VMS, 'ADDED', vm(volumes));
    await until(() => kube.patches.length > 0);
    expect(kube.patches).toEqual([{ path: STATUS, body: { status: { volumeSnapshotStatuses: expected } } }]);
  });

  it('are not written again when the VM already says so', async () => {
    const kube = cluster();
    start(kube);
    kube.emit(VMS, 'ADDED', vm(volumes, { volumeSnapshotStatuses: expected }));
    await settle();
    expect(kube.patches).toEqual([]);
  });

  it('are not written again when the VM says so with its keys in the order the API server returns them (sorted)', async () => {
    const kube = cluster();
    start(kube);
    const asRead = expected.map((s) => Object.fromEntries(Object.entries(s).sort(([a], [b]) => a.localeCompare(b))));
    kube.emit(VMS, 'ADDED', vm(volumes, { volumeSnapshotStatuses: asRead }));
    await settle();
    expect(kube.patches).toEqual([]);
  });

  it('need no list of snapshot classes for a VM without claims', async () => {
    const kube = cluster();
    start(kube);
    kube.emit(VMS, 'ADDED', vm([volumes[0]!]));
    await until(() => kube.patches.length > 0);
    expect(kube.patches[0]!.body).toEqual({ status: { volumeSnapshotStatuses: [expected[0]] } });
    expect(kube.gets.filter((p) => p.endsWith('/volumesnapshotclasses'))).toEqual([]);
  });

  it('follow a claim that appears after its VM', async () => {
    const kube = cluster();
    start(kube);
    const later = [{ name: 'late', persistentVolumeClaim: { claimName: 'disk-late' } }];
    kube.emit(VMS, 'ADDED', vm(later));
    await until(() => kube.patches.length === 1);
    expect(kube.patches[0]!.body).toEqual({ status: { volumeSnapshotStatuses: [{ name: 'late', enabled: false, reason: 'PVC not found' }] } });
    // The controller sees its own write, then the claim.
    kube.emit(VMS, 'MODIFIED', vm(later, { volumeSnapshotStatuses: [{ name: 'late', enabled: false, reason: 'PVC not found' }] }));
    kube.objects.set('/api/v1/namespaces/team-a/persistentvolumeclaims/disk-late', { spec: { storageClassName: 'sandbox-shared' } });
    kube.emit(PVCS, 'ADDED', { metadata: { name: 'disk-late', namespace: 'team-a' } });
    await until(() => kube.patches.length === 2);
    expect(kube.patches[1]!.body).toEqual({ status: { volumeSnapshotStatuses: [{ name: 'late', enabled: true }] } });
  });
});

describe('VirtualMachineSnapshotContent', () => {
  const CONTENTS = '/apis/snapshot.kubevirt.io/v1beta1/virtualmachinesnapshotcontents';
  const content = (meta: object) => ({ metadata: { name: 'vmsnapshot-content-1', namespace: 'team-a', resourceVersion: '5', ...meta }, spec: {} });
  const protection = 'snapshot.kubevirt.io/vmsnapshotcontent-protection';

  it('lets go of a content being deleted: its protection goes, any other finalizer stays', async () => {
    const kube = cluster();
    start(kube);
    kube.emit(CONTENTS, 'MODIFIED', content({ deletionTimestamp: '2026-12-03T12:00:00Z', finalizers: [protection, 'example.com/keep'] }));
    await until(() => kube.patches.length > 0);
    expect(kube.patches).toEqual([
      { path: '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshotcontents/vmsnapshot-content-1', body: { metadata: { finalizers: ['example.com/keep'] } } },
    ]);
  });

  it('keeps the protection of a content that is not being deleted', async () => {
    const kube = cluster();
    start(kube);
    kube.emit(CONTENTS, 'ADDED', content({ finalizers: [protection] }));
    await settle();
    expect(kube.patches).toEqual([]);
  });
});
