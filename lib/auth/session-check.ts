// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { identityRefusal, type K8sIdentity } from '../k8s/identity';
import { absoluteEndS, sessionEndsAtS } from './session-lifetime';
import { parsePortalToken } from './session-token';

// Whether a decrypted session cookie may act now, and as whom. Never refreshes: only next-auth's session endpoint
// may rotate refresh tokens, because only it can write the new cookie.

// What a long-lived response (a server-sent event stream) needs to end with its session.
export interface SessionLife {
  sid: string;
  endsAt: number; // epoch seconds: the ID token's expiry or the absolute end, whichever is first
}

export type IdentityResult =
  | { ok: true; identity: K8sIdentity; displayName: string; session?: SessionLife }
  | { ok: false; reason: 'no_session' | 'expired' | 'revoked' };

export interface SessionCheckDeps {
  nowS: number;
  maxLifetimeS: number;
  isRevoked: (sid: string) => boolean;
}

export function identityFromToken(raw: unknown, mode: 'token' | 'impersonate', deps: SessionCheckDeps): IdentityResult {
  const t = parsePortalToken(raw);
  if (!t) return { ok: false, reason: 'no_session' };
  if (deps.isRevoked(t.sid)) return { ok: false, reason: 'revoked' };
  if (deps.nowS >= absoluteEndS(t.signedInAt, deps.maxLifetimeS)) return { ok: false, reason: 'expired' };
  if (t.error || t.expiresAt <= deps.nowS) return { ok: false, reason: 'expired' };
  // Sign-in refuses these; a cookie from before that rule is no session.
  if (identityRefusal(t.username, t.groups)) return { ok: false, reason: 'no_session' };
  const displayName = t.name ?? t.username;
  const session = { sid: t.sid, endsAt: sessionEndsAtS(t, deps.maxLifetimeS) };
  const identity: K8sIdentity =
    mode === 'impersonate' ? { mode, username: t.username, groups: t.groups } : { mode, username: t.username, groups: t.groups, token: t.idToken };
  return { ok: true, identity, displayName, session };
}
