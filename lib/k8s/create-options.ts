import 'server-only';
import type { K8sClient } from './client';
import { collectionPath } from './api-paths';
import { reviewAll } from './access';
import { PortalError } from './errors';
import { workableNamespaces } from './namespaces';
import { settings } from '../settings';
import { nadOption } from '../kubevirt/nads';
import { quotaOption, type ResourceQuotaLike } from '../kubevirt/quota-usage';
import type { CreateOptions, DataSourceOption, InstancetypeOption, PvcOption, StorageClassOption } from '../shared/create-api';
import type { ResourceDef } from '../shared/resources';

// What the create wizard offers in one namespace, read as the user: a part the user may not read is left empty and
// named in `unavailable`, so the wizard can say why instead of failing whole.

const def = (group: string, version: string, plural: string, namespaced = true): ResourceDef => ({ group, version, plural, namespaced });
const R = {
  dataSources: def('cdi.kubevirt.io', 'v1beta1', 'datasources'),
  instancetypes: def('instancetype.kubevirt.io', 'v1beta1', 'virtualmachineclusterinstancetypes', false),
  preferences: def('instancetype.kubevirt.io', 'v1beta1', 'virtualmachineclusterpreferences', false),
  storageClasses: def('storage.k8s.io', 'v1', 'storageclasses', false),
  storageProfiles: def('cdi.kubevirt.io', 'v1beta1', 'storageprofiles', false),
  snapshotClasses: def('snapshot.storage.k8s.io', 'v1', 'volumesnapshotclasses', false),
  networks: def('k8s.cni.cncf.io', 'v1', 'network-attachment-definitions'),
  pvcs: def('', 'v1', 'persistentvolumeclaims'),
  quotas: def('', 'v1', 'resourcequotas'),
  vms: def('kubevirt.io', 'v1', 'virtualmachines'),
};

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

type Unavailable = string[];

async function listOf<T extends Obj>(client: K8sClient, d: ResourceDef, namespace: string, key: string, unavailable: Unavailable): Promise<T[]> {
  try {
    const list = await client.json<{ items?: T[] }>({ path: collectionPath(d, d.namespaced ? namespace : ''), ctx: { verb: 'list', resource: `${d.plural}.${d.group}`, namespace: d.namespaced ? namespace : undefined } });
    return list.items ?? [];
  } catch (err) {
    // Not allowed, or not installed (a cluster without CDI or Multus): the wizard works without that part.
    if (err instanceof PortalError && [403, 404].includes(err.status)) {
      if (!unavailable.includes(key)) unavailable.push(key);
      return [];
    }
    throw err;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function pvcOption(o: Obj): PvcOption {
  const spec = (o.spec ?? {}) as { storageClassName?: string; volumeMode?: string; resources?: { requests?: { storage?: string } } };
  const status = (o.status ?? {}) as { capacity?: { storage?: string } };
  return {
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    size: status.capacity?.storage ?? spec.resources?.requests?.storage,
    storageClass: spec.storageClassName,
    volumeMode: spec.volumeMode,
  };
}

async function dataSources(client: K8sClient, namespace: string, unavailable: Unavailable): Promise<DataSourceOption[]> {
  const scopes = [...new Set([namespace, ...settings().cluster.imagesNamespaces])];
  const out: DataSourceOption[] = [];
  for (const scope of scopes) {
    const [sources, claims] = await Promise.all([
      listOf<Obj>(client, R.dataSources, scope, 'dataSources', unavailable),
      // The claims behind them give the image's size; reading them is not needed to boot from them.
      listOf<Obj>(client, R.pvcs, scope, scope === namespace ? 'pvcs' : `pvcs:${scope}`, []),
    ]);
    const size = new Map(claims.map((c) => [c.metadata.name, pvcOption(c).size]));
    for (const ds of sources) {
      const src = (ds.spec as { source?: { pvc?: { namespace?: string; name?: string } } } | undefined)?.source?.pvc;
      const ready = ((ds.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      out.push({
        namespace: scope,
        name: ds.metadata.name,
        os: str(ds.metadata.labels?.['instancetype.kubevirt.io/default-preference']),
        size: src?.name && (src.namespace ?? scope) === scope ? size.get(src.name) : undefined,
        ready,
      });
    }
  }
  return out;
}

function storageClassOptions(classes: Obj[], profiles: Obj[], snapshotClasses: Obj[]): StorageClassOption[] {
  const drivers = new Set(snapshotClasses.map((s) => str(s.driver)).filter(Boolean));
  return classes.map((sc) => {
    const profile = profiles.find((p) => p.metadata.name === sc.metadata.name);
    const sets = ((profile?.status as { claimPropertySets?: { accessModes?: string[]; volumeMode?: string }[] } | undefined)?.claimPropertySets ?? []);
    const provisioner = str(sc.provisioner) ?? '';
    return {
      name: sc.metadata.name,
      isDefault: sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      provisioner,
      description: str(sc.metadata.annotations?.description),
      accessModes: [...new Set(sets.flatMap((s) => s.accessModes ?? []))],
      volumeModes: [...new Set(sets.map((s) => s.volumeMode).filter((v): v is string => !!v))],
      snapshots: drivers.has(provisioner),
      expansion: sc.allowVolumeExpansion === true,
      bindingMode: str(sc.volumeBindingMode) ?? 'Immediate',
    };
  });
}

function instancetypeOption(it: Obj): InstancetypeOption {
  const spec = (it.spec ?? {}) as { cpu?: { guest?: number }; memory?: { guest?: string } };
  const [series, size] = it.metadata.name.includes('.') ? [it.metadata.name.split('.')[0]!, it.metadata.name.split('.').slice(1).join('.')] : ['', it.metadata.name];
  return {
    name: it.metadata.name,
    series,
    size,
    cpu: spec.cpu?.guest ?? 1,
    memory: spec.memory?.guest ?? '',
    displayName: str(it.metadata.annotations?.['instancetype.kubevirt.io/displayName']),
    description: str(it.metadata.annotations?.['instancetype.kubevirt.io/description']),
  };
}

/** The cluster's instance types the user may read (for a VM's edit); unavailable when they may not list them. */
export async function clusterInstancetypes(client: K8sClient): Promise<{ instancetypes: InstancetypeOption[]; unavailable: boolean }> {
  const unavailable: Unavailable = [];
  const items = await listOf<Obj>(client, R.instancetypes, '', 'instancetypes', unavailable);
  return { instancetypes: items.map(instancetypeOption), unavailable: unavailable.length > 0 };
}

export async function createOptions(client: K8sClient, wanted?: string): Promise<CreateOptions> {
  const { namespaces: workable } = await workableNamespaces(client);
  const reviews = await reviewAll(client, workable.map((namespace) => ({ verb: 'create', group: 'kubevirt.io', resource: 'virtualmachines', namespace })));
  const namespaces = workable.filter((_, i) => reviews[i]!.allowed);
  if (wanted && !namespaces.includes(wanted)) {
    throw new PortalError(403, 'forbidden', `You may not create virtual machines in namespace ${wanted}.`, { verb: 'create', resource: 'virtualmachines.kubevirt.io', namespace: wanted });
  }
  const namespace = wanted ?? namespaces[0];
  const unavailable: Unavailable = [];
  const base = { namespaces, dataSources: [], instancetypes: [], preferences: [], storageClasses: [], networks: [], pvcs: [], quotas: [], vmNames: [], unavailable };
  if (!namespace) return { namespace: '', ...base };

  const [sources, instancetypes, preferences, classes, profiles, snapshotClasses, nads, pvcs, quotas, vms] = await Promise.all([
    dataSources(client, namespace, unavailable),
    listOf<Obj>(client, R.instancetypes, '', 'instancetypes', unavailable),
    listOf<Obj>(client, R.preferences, '', 'preferences', unavailable),
    listOf<Obj>(client, R.storageClasses, '', 'storageClasses', unavailable),
    listOf<Obj>(client, R.storageProfiles, '', 'storageProfiles', unavailable),
    listOf<Obj>(client, R.snapshotClasses, '', 'snapshotClasses', unavailable),
    listOf<Obj>(client, R.networks, namespace, 'networks', unavailable),
    listOf<Obj>(client, R.pvcs, namespace, 'pvcs', unavailable),
    listOf<Obj>(client, R.quotas, namespace, 'quotas', unavailable),
    listOf<Obj>(client, R.vms, namespace, 'vmNames', unavailable),
  ]);
  return {
    namespace,
    ...base,
    dataSources: sources,
    instancetypes: instancetypes.map(instancetypeOption),
    preferences: preferences.map((p) => ({ name: p.metadata.name, displayName: str(p.metadata.annotations?.['openshift.io/display-name']) })),
    storageClasses: storageClassOptions(classes, profiles, snapshotClasses),
    networks: nads.map(nadOption),
    pvcs: pvcs.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Bound').map(pvcOption),
    quotas: quotas.map((q) => quotaOption(q as ResourceQuotaLike)),
    vmNames: vms.map((v) => v.metadata.name).sort(),
  };
}

// The same facts of every storage class, for a page besides the wizard (a VM's Disks tab: which class a new disk
// may use, which claim may grow). What the user may not read is left out and named in `unavailable`.
export async function storageClassCatalogue(client: K8sClient, unavailable: string[] = []): Promise<StorageClassOption[]> {
  const [classes, profiles, snapshotClasses] = await Promise.all([
    listOf<Obj>(client, R.storageClasses, '', 'storageClasses', unavailable),
    listOf<Obj>(client, R.storageProfiles, '', 'storageProfiles', unavailable),
    listOf<Obj>(client, R.snapshotClasses, '', 'snapshotClasses', unavailable),
  ]);
  return storageClassOptions(classes, profiles, snapshotClasses);
}
