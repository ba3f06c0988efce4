import 'server-only';
import { randomUUID } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { log } from '../log';
import { oidcCa, settings, type ClaimRules, type OidcSettings } from '../settings';
import { refreshTokens, type RefreshedTokens } from './oidc-http';
import { isRevoked, revokeSession } from './revocations';
import { safeRedirectUrl } from './safe-redirect';
import { advanceToken, SessionEnded, tokenAtSignIn, type SessionDeps } from './session-jwt';
import { absoluteEndS, SESSION_IDLE_S } from './session-lifetime';
import { parsePortalToken, type PortalSession } from './session-token';

// The IdP may rotate refresh tokens (Dex does): two requests refreshing with the same old token at once must share
// one refresh, or the second would burn the session.
type Inflight = Map<string, { at: number; p: Promise<RefreshedTokens> }>;
const inflight: Inflight = ((globalThis as { __portalRefresh?: Inflight }).__portalRefresh ??= new Map());

function refreshOnce(refreshToken: string): Promise<RefreshedTokens> {
  const now = Date.now();
  for (const [k, v] of inflight) if (now - v.at > 60_000) inflight.delete(k);
  let entry = inflight.get(refreshToken);
  if (!entry) {
    entry = { at: now, p: refreshTokens(refreshToken) };
    inflight.set(refreshToken, entry);
  }
  return entry.p;
}

function oidcProvider(s: OidcSettings, claims: ClaimRules): NextAuthOptions['providers'][number] {
  const ca = oidcCa(s);
  return {
    id: s.providerId,
    name: s.providerName,
    type: 'oauth',
    wellKnown: `${s.issuer}/.well-known/openid-configuration`,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    authorization: { params: { scope: s.scopes } },
    idToken: true,
    checks: ['pkce', 'state'],
    // openid-client takes these as https options: the IdP's CA is trusted for discovery, token and JWKS calls.
    httpOptions: { timeout: 10_000, ...(ca ? { ca } : {}) } as { timeout: number },
    profile(profile: Record<string, unknown>) {
      return {
        id: String(profile.sub),
        name: String(profile.name ?? profile[claims.usernameClaim] ?? profile.email ?? profile.sub),
        email: profile.email ? String(profile.email) : null,
      };
    },
  };
}

export function authOptions(): NextAuthOptions {
  const { oidc: s, claims, site, session, authMode } = settings();
  const deps: SessionDeps = {
    rules: claims,
    nowS: () => Date.now() / 1000,
    refresh: refreshOnce,
    isRevoked,
    newSid: randomUUID,
    maxLifetimeS: session.maxLifetimeS,
  };
  return {
    secret: session.secret,
    // Secure, __Secure-/__Host- cookies exactly when the portal is served over https. Said here rather than left to
    // next-auth's own reading of NEXTAUTH_URL, so that its cookie names and the CSRF check's (lib/api/route.ts)
    // come from the same place.
    useSecureCookies: site.secure,
    session: { strategy: 'jwt', maxAge: SESSION_IDLE_S },
    pages: { signIn: '/signin', error: '/signin' },
    // None in kubeconfig mode without an identity provider: nobody signs in there.
    providers: s ? [oidcProvider(s, claims)] : [],
    callbacks: {
      // Every redirect next-auth makes (after sign-in, sign-out, errors) stays on the portal's public URL.
      async redirect({ url }) {
        return safeRedirectUrl(url, site.origin);
      },
      // An identity the API server would not accept (or that names one of its own system: users) never signs in.
      async signIn({ account }) {
        const r = tokenAtSignIn(account ?? {}, deps);
        if (!r.ok) log('warn', 'sign-in refused', { reason: r.reason });
        return r.ok;
      },
      async jwt({ token, account }): Promise<JWT> {
        if (account) {
          const r = tokenAtSignIn(account, deps);
          if (!r.ok) throw new SessionEnded(`sign-in refused: ${r.reason}`);
          log('info', 'signed in', { user: r.token.username, groups: r.token.groups });
          return r.token as unknown as JWT;
        }
        // Throwing makes next-auth clear the cookie: a revoked or refused session is gone for good.
        return (await advanceToken(token, deps)) as unknown as JWT;
      },
      async session({ token }) {
        const t = parsePortalToken(token);
        const now = Date.now() / 1000;
        // The jwt callback has just accepted this token, so it parses; the check keeps the types honest.
        if (!t) return { expires: new Date(0).toISOString(), mode: authMode, error: 'RefreshFailed' } as never;
        const session: PortalSession = {
          user: { name: t.name ?? t.username, email: t.email, username: t.username, groups: t.groups },
          expires: new Date(Math.min(now + SESSION_IDLE_S, absoluteEndS(t.signedInAt, deps.maxLifetimeS)) * 1000).toISOString(),
          mode: authMode,
          ...(t.error || t.expiresAt < now ? { error: 'RefreshFailed' as const } : {}),
        };
        // No tokens here: this object is what /api/auth/session sends to browser JavaScript.
        return session as never;
      },
    },
    events: {
      async signOut({ token }) {
        const t = token as { sid?: unknown; username?: unknown; signedInAt?: unknown } | null;
        if (typeof t?.sid === 'string' && t.sid) {
          // Kept until the cookie could no longer be used anyway: idle expiry from now, or the absolute end.
          const idleEnd = Math.floor(Date.now() / 1000) + SESSION_IDLE_S;
          const until = typeof t.signedInAt === 'number' ? Math.min(idleEnd, absoluteEndS(t.signedInAt, deps.maxLifetimeS)) : idleEnd;
          // Awaited (next-auth awaits this event before it answers): with a shared store, the revocation is there
          // for every replica before the browser is told it signed out.
          await revokeSession(t.sid, until);
          log('info', 'signed out', { user: t.username });
        }
      },
    },
    logger: {
      error: (code, metadata) => log('error', 'next-auth', { code, error: (metadata as { message?: string })?.message }),
      warn: (code) => log('warn', 'next-auth', { code }),
      debug: () => {},
    },
  };
}
