// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { PortalError } from './errors';

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

// `system:` names belong to the API server itself (system:masters, system:serviceaccount:..., system:node:...):
// a signed-in person is never one of them.
const RESERVED_PREFIX = 'system:';

// Why a user name and groups may not stand for a person, or undefined when they may.
export function identityRefusal(username: unknown, groups: unknown): string | undefined {
  if (typeof username !== 'string' || username.trim() === '') return 'empty user name';
  if (username.startsWith(RESERVED_PREFIX)) return 'reserved user name';
  if (!Array.isArray(groups)) return 'groups are not a list';
  for (const g of groups as unknown[]) {
    if (typeof g !== 'string' || g.trim() === '') return 'empty group name';
    if (g.startsWith(RESERVED_PREFIX)) return 'reserved group name';
  }
  return undefined;
}

// The only way impersonation headers are made. Without Impersonate-User the API server would act as the portal's
// own account, so an identity that cannot be impersonated stops here, before any request exists.
export function impersonationHeaders(identity: { username: string; groups: string[] }): Record<string, string | string[]> {
  const refusal = identityRefusal(identity.username, identity.groups);
  if (refusal) throw new PortalError(403, 'forbidden', 'This session’s identity cannot be used with the cluster; sign in again.', { reason: refusal });
  return {
    'Impersonate-User': identity.username,
    ...(identity.groups.length ? { 'Impersonate-Group': [...identity.groups] } : {}),
  };
}
