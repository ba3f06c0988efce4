// The resources the portal lists and watches. The browser asks for a resource by its key and never builds API server
// paths itself (lib/k8s/api-paths.ts does); the table is plain data, so both sides can check a key.
export interface ResourceDef {
  group: string; // '' = core
  version: string;
  plural: string;
  namespaced: boolean;
}

export const resources = {
  virtualmachines: { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines', namespaced: true },
  virtualmachineinstances: { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachineinstances', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true },
  // A VM's disks while CDI provisions them: import and clone progress on the VM's page.
  datavolumes: { group: 'cdi.kubevirt.io', version: 'v1beta1', plural: 'datavolumes', namespaced: true },
  // Live migrations: a VM's running one and its history on the VM's page, all of them on /migrations.
  virtualmachineinstancemigrations: { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachineinstancemigrations', namespaced: true },
  // Day-2 care on the VM's page: its snapshots, their restores, clones made from it, its claims (the Disks tab) and the
  // networks it can attach (the Network interfaces tab).
  virtualmachinesnapshots: { group: 'snapshot.kubevirt.io', version: 'v1beta1', plural: 'virtualmachinesnapshots', namespaced: true },
  virtualmachinerestores: { group: 'snapshot.kubevirt.io', version: 'v1beta1', plural: 'virtualmachinerestores', namespaced: true },
  virtualmachineclones: { group: 'clone.kubevirt.io', version: 'v1beta1', plural: 'virtualmachineclones', namespaced: true },
  persistentvolumeclaims: { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  networkattachmentdefinitions: { group: 'k8s.cni.cncf.io', version: 'v1', plural: 'network-attachment-definitions', namespaced: true },
  // A namespace's quotas and what is used of them: the developers' quota panel follows them as VMs start and stop.
  resourcequotas: { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true },
} as const satisfies Record<string, ResourceDef>;

export type ResourceKey = keyof typeof resources;

export function isResourceKey(value: string): value is ResourceKey {
  return Object.hasOwn(resources, value);
}

// "virtualmachines.kubevirt.io", as kubectl and the API server's messages name resources.
export function qualifiedName(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}
