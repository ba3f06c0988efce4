import 'server-only';
import { cookies } from 'next/headers';
import { getToken } from 'next-auth/jwt';
import type { K8sIdentity } from '../k8s/identity';
import { portalKubeconfigUser } from '../k8s/kubeconfig';
import { authMode } from '../k8s/settings';
import { isRevoked } from './revocations';
import type { PortalToken } from './session-token';

// Who is asking, from the verified (decrypted) session cookie, as an identity for lib/k8s. Never refreshes: only
// next-auth's session endpoint may rotate refresh tokens, because only it can write the new cookie.

export type IdentityResult =
  | { ok: true; identity: K8sIdentity; displayName: string }
  | { ok: false; reason: 'no_session' | 'expired' | 'revoked' };

export async function currentIdentity(): Promise<IdentityResult> {
  const mode = authMode();
  if (mode === 'kubeconfig') {
    const user = portalKubeconfigUser();
    return { ok: true, identity: { mode, username: user, groups: [] }, displayName: user };
  }
  const jar = await cookies();
  const token = (await getToken({ req: { cookies: jar, headers: {} } as never })) as unknown as PortalToken | null;
  if (!token?.idToken) return { ok: false, reason: 'no_session' };
  if (isRevoked(token.sid)) return { ok: false, reason: 'revoked' };
  if (token.error || token.expiresAt <= Date.now() / 1000) return { ok: false, reason: 'expired' };
  const displayName = token.name ?? token.username;
  if (mode === 'impersonate') return { ok: true, identity: { mode, username: token.username, groups: token.groups }, displayName };
  return { ok: true, identity: { mode, username: token.username, groups: token.groups, token: token.idToken }, displayName };
}
