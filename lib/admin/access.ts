import type { AccessCheck } from '../shared/access-review';

// Who the admin area is for: users whose own RBAC lets them make team namespaces (create namespaces cluster-wide)
// and grant roles in them (create rolebindings in every namespace). Asked as SelfSubjectAccessReviews, never
// inferred from a group's name, so a cluster that grants this some other way is served the same.
export const ADMIN_CHECKS: readonly AccessCheck[] = [
  { verb: 'create', group: '', resource: 'namespaces' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
];

// "rolebindings.rbac.authorization.k8s.io", as the API server names a resource in its refusals.
export const checkResource = (c: AccessCheck) => (c.group ? `${c.resource}.${c.group}` : c.resource);
