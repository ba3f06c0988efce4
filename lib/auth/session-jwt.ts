import 'server-only';
import { log } from '../log';
import { jwtClaims, jwtExp, type RefreshedTokens } from './oidc-http';
import type { ClaimRules } from '../settings';
import { oidcIdentity } from './oidc-identity';
import { absoluteEndS } from './session-lifetime';
import { parsePortalToken, type PortalToken } from './session-token';

// What next-auth's jwt callback does, with its collaborators passed in: the token made at sign-in, and the token
// for every later request (revocation, absolute lifetime, refresh of the ID token and of the identity it carries).

// Refresh when less than this is left, so a token never expires between the browser's session checks.
const REFRESH_MARGIN_S = 5 * 60;

export interface SessionDeps {
  rules: ClaimRules;
  nowS: () => number; // epoch seconds
  refresh: (refreshToken: string) => Promise<RefreshedTokens>;
  isRevoked: (sid: string | undefined) => boolean;
  newSid: () => string;
  maxLifetimeS: number; // absolute, from sign-in
}

export interface SignInAccount {
  id_token?: string;
  refresh_token?: string;
  expires_at?: number;
}

export type SignInResult = { ok: true; token: PortalToken } | { ok: false; reason: string };

// Thrown to end a session: next-auth then clears the cookie.
export class SessionEnded extends Error {}

const claimText = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function tokenAtSignIn(account: SignInAccount, deps: SessionDeps): SignInResult {
  if (!account.id_token) return { ok: false, reason: 'no ID token' };
  const claims = jwtClaims(account.id_token);
  const who = oidcIdentity(claims, deps.rules);
  if (!who.ok) return who;
  const now = deps.nowS();
  return {
    ok: true,
    token: {
      sid: deps.newSid(),
      username: who.username,
      groups: who.groups,
      email: claimText(claims.email),
      name: claimText(claims.name),
      idToken: account.id_token,
      refreshToken: account.refresh_token,
      expiresAt: jwtExp(account.id_token) ?? account.expires_at ?? now + 300,
      signedInAt: Math.floor(now),
    },
  };
}

export async function advanceToken(token: unknown, deps: SessionDeps): Promise<PortalToken> {
  const t = parsePortalToken(token);
  if (!t) throw new SessionEnded('session cookie not understood');
  if (deps.isRevoked(t.sid)) throw new SessionEnded('session revoked');
  // Checked before any refresh: a refresh must not carry a session past its absolute end.
  if (deps.nowS() >= absoluteEndS(t.signedInAt, deps.maxLifetimeS)) throw new SessionEnded('session reached its absolute lifetime');
  if (t.expiresAt - deps.nowS() > REFRESH_MARGIN_S || !t.refreshToken || t.error) return t;
  let fresh: RefreshedTokens;
  try {
    fresh = await deps.refresh(t.refreshToken);
  } catch (err) {
    // While the ID token still holds, the session goes on as it is and the next session check tries again. A
    // refused refresh is then not always the end: with several replicas, two checks of one browser can refresh the
    // same rotating refresh token on two replicas at once (in-process sharing, options.ts, cannot join them). The IdP's
    // reuse interval (Dex: 3 s) gives both the same new token; past it the loser is refused, and marking its
    // answer's cookie failed would end a session the winner has just renewed. An IdP that is briefly down does not end
    // sessions either. Once the ID token has expired nothing else can work: the session is marked.
    const stillValid = t.expiresAt > deps.nowS();
    log('warn', 'token refresh failed', { user: t.username, error: (err as Error).message, retry: stillValid });
    return stillValid ? t : { ...t, error: 'RefreshFailed' };
  }
  // The IdP may have changed the user's groups (or name) since sign-in: the new ID token is what the API server
  // will see in token mode, so impersonation follows it too.
  const claims = jwtClaims(fresh.idToken);
  const who = oidcIdentity(claims, deps.rules);
  if (!who.ok) {
    log('warn', 'refreshed identity refused', { user: t.username, reason: who.reason });
    throw new SessionEnded(`refreshed identity refused: ${who.reason}`);
  }
  return {
    ...t,
    username: who.username,
    groups: who.groups,
    email: claimText(claims.email),
    name: claimText(claims.name),
    idToken: fresh.idToken,
    refreshToken: fresh.refreshToken ?? t.refreshToken,
    expiresAt: fresh.expiresAt,
  };
}
