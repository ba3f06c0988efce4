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

// The objects the admin area reads and writes for projects (team namespaces). The browser never lists or watches
// them itself (the admin routes do, as the signed-in user), so they are not in lib/shared/resources.ts.
export const adminResources = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  resourcequotas: { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true },
  limitranges: { group: '', version: 'v1', plural: 'limitranges', namespaced: true },
  rolebindings: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true },
  networkpolicies: { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true },
} as const satisfies Record<string, ResourceDef>;

// The definition of each kind a project is made of.
export const PROJECT_KIND_DEFS: Record<string, ResourceDef> = {
  Namespace: adminResources.namespaces,
  ResourceQuota: adminResources.resourcequotas,
  LimitRange: adminResources.limitranges,
  RoleBinding: adminResources.rolebindings,
  NetworkPolicy: adminResources.networkpolicies,
};

// One object of any definition; a cluster-scoped one ignores the namespace.
export function namedPath(def: ResourceDef, namespace: string, name: string): string {
  return `${collectionPath(def, def.namespaced ? namespace : '')}/${encodeURIComponent(name)}`;
}
