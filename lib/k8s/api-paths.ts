import type { ResourceDef } from '../shared/resources';

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
