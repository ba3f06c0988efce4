// Who a request to the API server is made as. Built only from a verified session (lib/auth) or, in single-user
// mode, from the portal's kubeconfig.
export type K8sIdentity =
  | { mode: 'token'; username: string; groups: string[]; token: string }
  | { mode: 'impersonate'; username: string; groups: string[] }
  | { mode: 'kubeconfig'; username: string; groups: string[] };

// A stable cache key for per-user caches (namespaces, access reviews). Never includes the token.
export function identityKey(id: K8sIdentity): string {
  return `${id.mode}:${id.username}:${[...id.groups].sort().join(',')}`;
}
