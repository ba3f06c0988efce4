// CDI keeps a StorageProfile per StorageClass: what access and volume modes the class's storage serves, which the
// DataVolume controller fills into a claim that names neither, and which a portal reads to offer only what works.
import type { KubeObject } from '../kube/client.ts';
import { Controller } from '../controller/controller.ts';
import { Store } from '../controller/queue.ts';
import { drivers } from '../storage/classes.ts';

const profiles = '/apis/cdi.kubevirt.io/v1beta1/storageprofiles';

export interface ClaimPropertySet {
  accessModes: string[];
  volumeMode: 'Block' | 'Filesystem';
}

interface StorageClass extends KubeObject {
  provisioner: string;
}

/**
 * What CDI's capabilities table would say for the sandbox's CSI drivers (storage/classes.ts): shared ReadWriteMany
 * first, since that is what lets a VM live-migrate, then ReadWriteOnce; Filesystem before Block for each. An unknown
 * provisioner gets no sets, as CDI leaves a profile it cannot fill empty.
 */
export function claimPropertySetsFor(provisioner: string): ClaimPropertySet[] {
  const traits = drivers[provisioner];
  if (!traits) return [];
  return (['ReadWriteMany', 'ReadWriteOnce'] as const)
    .filter((m) => traits.accessModes.includes(m))
    .flatMap((m) => (['Filesystem', 'Block'] as const).filter((v) => traits.volumeModes.includes(v)).map((volumeMode) => ({ accessModes: [m], volumeMode })));
}

export class StorageProfileController extends Controller {
  private readonly classes = new Store<StorageClass>();
  private readonly queue = this.workQueue('storageprofile', (k) => this.reconcile(k));

  constructor(kube: ConstructorParameters<typeof Controller>[0]) {
    super(kube);
    this.watch('/apis/storage.k8s.io/v1/storageclasses', { store: this.classes, queue: this.queue });
  }

  private async reconcile(key: string) {
    const sc = this.classes.get(key);
    if (!sc) {
      await this.kube.delete(`${profiles}/${encodeURIComponent(key)}`);
      return;
    }
    const name = sc.metadata.name!;
    const path = `${profiles}/${encodeURIComponent(name)}`;
    const owner = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name, uid: sc.metadata.uid!, blockOwnerDeletion: true, controller: true };
    if (!(await this.kube.find(path))) {
      await this.kube.create(profiles, { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name, ownerReferences: [owner] }, spec: {} });
    }
    const sets = claimPropertySetsFor(sc.provisioner);
    await this.kube.patch(`${path}/status`, {
      status: { storageClass: name, provisioner: sc.provisioner, claimPropertySets: sets, cloneStrategy: drivers[sc.provisioner]?.snapshots ? 'snapshot' : 'copy' },
    });
  }
}
