import { afterEach, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import type { InformerEvent } from './controller.ts';
import { CloneController } from './clone-controller.ts';

// A VirtualMachineClone whose source is a VirtualMachineSnapshot (KubeVirt's second source kind): the snapshot is
// restored into the new VM as it is, without an interim snapshot, and is kept afterwards.

type Handler = (type: InformerEvent, o: KubeObject | undefined) => void;

class FakeKube {
  readonly objects = new Map<string, unknown>();
  readonly calls: { method: string; path: string; body?: unknown }[] = [];
  readonly handlers = new Map<string, Handler>();
  informer(path: string, handler: Handler) {
    this.handlers.set(path, handler);
    return () => this.handlers.delete(path);
  }
  async find(path: string) {
    return structuredClone(this.objects.get(path));
  }
  async create(path: string, body: unknown) {
    this.calls.push({ method: 'POST', path, body });
    return body;
  }
  async patch(path: string, body: unknown) {
    this.calls.push({ method: 'PATCH', path, body });
    return {};
  }
  async delete(path: string) {
    this.calls.push({ method: 'DELETE', path });
  }
}

const CLONES = '/apis/clone.kubevirt.io/v1beta1/virtualmachineclones';
const SNAP = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshots/s1';
const RESTORES = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinerestores';

const clone = (status?: object) => ({
  metadata: { name: 'c1', namespace: 'team-a', uid: 'abcdef12-0000' },
  spec: { source: { apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 's1' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' } },
  ...(status ? { status } : {}),
});
const phases = (kube: FakeKube) => kube.calls.filter((c) => c.method === 'PATCH').map((c) => (c.body as { status: { phase: string } }).status.phase);

async function until(what: () => boolean) {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
}

let controller: CloneController | undefined;
afterEach(() => controller?.stop());

function start(kube: FakeKube) {
  controller = new CloneController(kube as unknown as KubeClient);
  controller.start();
}

describe('a clone from a snapshot', () => {
  it('restores the snapshot into the new VM, then removes only its own interim restore', async () => {
    const kube = new FakeKube();
    kube.objects.set(SNAP, { metadata: { name: 's1' }, status: { phase: 'Succeeded', readyToUse: true } });
    start(kube);
    kube.handlers.get(CLONES)!('ADDED', clone() as KubeObject);
    await until(() => phases(kube).includes('RestoreInProgress'));
    expect(phases(kube)).toEqual(['CreatingTargetVM', 'RestoreInProgress']);
    const made = kube.calls.filter((c) => c.method === 'POST');
    expect(made).toEqual([
      {
        method: 'POST',
        path: RESTORES,
        body: {
          apiVersion: 'snapshot.kubevirt.io/v1beta1',
          kind: 'VirtualMachineRestore',
          metadata: { name: 'tmp-restore-abcdef12-0000', namespace: 'team-a' },
          spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' }, virtualMachineSnapshotName: 's1' },
        },
      },
    ]);

    kube.objects.set(`${RESTORES}/tmp-restore-abcdef12-0000`, { metadata: { name: 'tmp-restore-abcdef12-0000' }, status: { complete: true } });
    kube.handlers.get(CLONES)!('MODIFIED', clone({ phase: 'RestoreInProgress' }) as KubeObject);
    await until(() => phases(kube).includes('Succeeded'));
    expect(kube.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([`${RESTORES}/tmp-restore-abcdef12-0000`]);
  });

  it('fails when the snapshot is not there, or the target name is taken', async () => {
    const kube = new FakeKube();
    start(kube);
    kube.handlers.get(CLONES)!('ADDED', clone() as KubeObject);
    await until(() => phases(kube).length > 0);
    expect(phases(kube)).toEqual(['Failed']);

    const taken = new FakeKube();
    taken.objects.set(SNAP, { metadata: { name: 's1' }, status: { phase: 'Succeeded' } });
    taken.objects.set('/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/copy', { metadata: { name: 'copy' } });
    controller?.stop();
    start(taken);
    taken.handlers.get(CLONES)!('ADDED', clone() as KubeObject);
    await until(() => phases(taken).length > 0);
    expect(phases(taken)).toEqual(['Failed']);
    expect(taken.calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
