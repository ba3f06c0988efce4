// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { resources, type ResourceDef, type ResourceKey } from '../shared/resources';

// Every Kubernetes API path the portal requests, built in one place. Names and namespaces are percent-encoded, so
// nothing a user typed can become path syntax on the API server.

export const NAMESPACES_PATH = '/api/v1/namespaces';
export const NODES_PATH = '/api/v1/nodes';
export const SELF_SUBJECT_ACCESS_REVIEWS_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

function groupBase(def: ResourceDef): string {
  return def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
}

// namespace '' means all namespaces.
export function collectionPath(def: ResourceDef, namespace: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupBase(def)}${ns}/${def.plural}`;
}

export interface ObjectTarget {
  resource: ResourceKey;
  namespace: string;
  name: string;
  // A KubeVirt subresource (start, stop, pause...); none: the object itself.
  subresource?: string;
}

// KubeVirt's subresources are served by virt-api through the aggregation layer, in a group of their own rather
// than under the object's path.
const KUBEVIRT_SUBRESOURCES = '/apis/subresources.kubevirt.io/v1';

export function objectPath(t: ObjectTarget): string {
  const def: ResourceDef = resources[t.resource];
  const name = encodeURIComponent(t.name);
  if (!t.subresource) return `${collectionPath(def, t.namespace)}/${name}`;
  if (def.group !== 'kubevirt.io') throw new Error(`no subresources are known for ${t.resource}`);
  return `${KUBEVIRT_SUBRESOURCES}/namespaces/${encodeURIComponent(t.namespace)}/${def.plural}/${name}/${encodeURIComponent(t.subresource)}`;
}
