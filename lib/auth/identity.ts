import 'server-only';
import { cookies } from 'next/headers';
import { getToken } from 'next-auth/jwt';
import { portalKubeconfigUser } from '../k8s/kubeconfig';
import { settings } from '../settings';
import { isRevoked } from './revocations';
import { identityFromToken, type IdentityResult } from './session-check';
import { parsePortalToken, type PortalToken } from './session-token';

// Who is asking, from the verified (decrypted) session cookie, as an identity for lib/k8s.

export type { IdentityResult, SessionLife } from './session-check';

async function decryptedCookie(): Promise<unknown> {
  const jar = await cookies();
  const { session, site } = settings();
  return getToken({ req: { cookies: jar, headers: {} } as never, secret: session.secret, secureCookie: site.secure });
}

// The session's tokens, for server code that must talk to the IdP for this user (sign-out); never sent as is.
export async function currentSessionToken(): Promise<PortalToken | undefined> {
  return parsePortalToken(await decryptedCookie());
}

export async function currentIdentity(): Promise<IdentityResult> {
  const { authMode: mode, session } = settings();
  if (mode === 'kubeconfig') {
    // No sign-in, so no session to end: the absolute lifetime does not apply.
    const user = portalKubeconfigUser();
    return { ok: true, identity: { mode, username: user, groups: [] }, displayName: user };
  }
  return identityFromToken(await decryptedCookie(), mode, { nowS: Date.now() / 1000, maxLifetimeS: session.maxLifetimeS, isRevoked });
}
