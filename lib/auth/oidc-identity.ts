import 'server-only';
import { identityRefusal } from '../k8s/identity';
import type { ClaimRules } from '../settings';

// The Kubernetes user an ID token stands for, worked out the way the API server's OIDC authenticator does it (same
// claims, same prefixes), so token and impersonation modes name the same user and RBAC bindings mean the same.

export type OidcIdentity = { ok: true; username: string; groups: string[] } | { ok: false; reason: string };

function groupsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((g) => typeof g === 'string')) return value as string[];
  return undefined;
}

export function oidcIdentity(claims: Record<string, unknown>, rules: ClaimRules): OidcIdentity {
  const name = claims[rules.usernameClaim];
  if (typeof name !== 'string' || name === '') return { ok: false, reason: `no ${rules.usernameClaim} claim` };
  // The API server refuses an e-mail user name whose address the IdP says it has not verified.
  if (rules.usernameClaim === 'email' && 'email_verified' in claims && claims.email_verified !== true) return { ok: false, reason: 'e-mail not verified' };
  const rawGroups = groupsOf(claims[rules.groupsClaim]);
  if (!rawGroups) return { ok: false, reason: `${rules.groupsClaim} claim is not a list of strings` };
  const username = rules.usernamePrefix + name;
  const groups = rawGroups.map((g) => rules.groupsPrefix + g);
  const refusal = identityRefusal(username, groups);
  return refusal ? { ok: false, reason: refusal } : { ok: true, username, groups };
}
