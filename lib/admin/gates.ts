import type { AccessCheck } from '../shared/access-review';
import { qualifiedName } from '../shared/resources';

// The access reviews that open the admin pages and their routes, asked without a namespace (in all namespaces):
// a page meant for the cluster's operators opens for what only they may do, not for a team's editor who may create
// a NAD in their own namespace (the sandbox's edit role may) or read its quota.

export interface AdminGate {
  check: AccessCheck;
  /** How the refusal names what was asked, as Kubernetes names it. */
  resource: string;
  scope: 'all namespaces' | 'the cluster';
}

// Shared networks: creating NetworkAttachmentDefinitions in every namespace.
export const NETWORKS_GATE: AdminGate = {
  check: { verb: 'create', group: 'k8s.cni.cncf.io', resource: 'network-attachment-definitions' },
  resource: qualifiedName({ group: 'k8s.cni.cncf.io', plural: 'network-attachment-definitions', version: 'v1', namespaced: true }),
  scope: 'all namespaces',
};

// The cluster view: listing nodes, which are cluster-scoped.
export const CLUSTER_GATE: AdminGate = {
  check: { verb: 'list', group: '', resource: 'nodes' },
  resource: 'nodes',
  scope: 'the cluster',
};
