// The resources the portal lists and watches, and how their API paths are built. Shared by server and browser
// (it has no I/O), so the browser asks for a resource by this key and never builds API server paths itself.
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
} as const satisfies Record<string, ResourceDef>;

export type ResourceKey = keyof typeof resources;

export function isResourceKey(value: string): value is ResourceKey {
  return Object.hasOwn(resources, value);
}

function groupBase(def: ResourceDef): string {
  return def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
}

// namespace '' means all namespaces.
export function collectionPath(def: ResourceDef, namespace: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupBase(def)}${ns}/${def.plural}`;
}

export function objectPath(def: ResourceDef, namespace: string, name: string): string {
  return `${collectionPath(def, namespace)}/${encodeURIComponent(name)}`;
}

export function subresourcePath(plural: 'virtualmachines' | 'virtualmachineinstances', namespace: string, name: string, sub: string): string {
  return `/apis/subresources.kubevirt.io/v1/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}/${sub}`;
}

// "virtualmachines.kubevirt.io", as kubectl and the API server's messages name resources.
export function qualifiedName(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}
