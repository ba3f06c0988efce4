import { describe, expect, it, vi } from 'vitest';
import { advanceToken, SessionEnded, tokenAtSignIn, type SessionDeps } from './session-jwt';
import type { PortalToken } from './session-token';

vi.mock('server-only', () => ({}));

const NOW = 1_800_000_000;

// An unsigned JWT: session-jwt only reads claims of tokens the IdP handed over directly.
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

function deps(over: Partial<SessionDeps> = {}): SessionDeps {
  return {
    rules: { usernameClaim: 'preferred_username', groupsClaim: 'groups', usernamePrefix: '', groupsPrefix: '' },
    nowS: () => NOW,
    refresh: vi.fn(async () => ({ idToken: jwt({ preferred_username: 'dev-a', groups: ['team-a'], exp: NOW + 3600 }), expiresAt: NOW + 3600 })),
    isRevoked: () => false,
    newSid: () => 'sid-1',
    maxLifetimeS: 12 * 3600,
    ...over,
  };
}

const signedIn = (claims: Record<string, unknown>, d = deps()) => tokenAtSignIn({ id_token: jwt({ exp: NOW + 60, ...claims }), refresh_token: 'r1' }, d);

describe('tokenAtSignIn', () => {
  it('names the user and groups from the configured claims, with the prefixes', () => {
    const d = deps({ rules: { usernameClaim: 'preferred_username', groupsClaim: 'groups', usernamePrefix: 'oidc:', groupsPrefix: 'oidc:' } });
    const r = signedIn({ preferred_username: 'dev-a', groups: ['team-a'], name: 'Dev A' }, d);
    expect(r).toMatchObject({ ok: true, token: { sid: 'sid-1', username: 'oidc:dev-a', groups: ['oidc:team-a'], name: 'Dev A', expiresAt: NOW + 60, refreshToken: 'r1', signedInAt: NOW } });
  });

  it.each([
    [{ groups: ['team-a'] }],
    [{ preferred_username: '' }],
    [{ preferred_username: 'system:admin' }],
    [{ preferred_username: 'dev-a', groups: ['system:masters'] }],
  ])('refuses %j', (claims) => expect(signedIn(claims).ok).toBe(false));
});

describe('advanceToken', () => {
  const base = (over: Partial<PortalToken> = {}): PortalToken => ({
    sid: 'sid-1',
    username: 'dev-a',
    groups: ['team-a'],
    idToken: jwt({ preferred_username: 'dev-a', groups: ['team-a'] }),
    refreshToken: 'r1',
    expiresAt: NOW + 60,
    signedInAt: NOW - 3600,
    ...over,
  });

  it('leaves a token with time to spare alone', async () => {
    const d = deps();
    const t = base({ expiresAt: NOW + 3600 });
    expect(await advanceToken(t, d)).toEqual(t);
    expect(d.refresh).not.toHaveBeenCalled();
  });

  it('ends a session at its absolute lifetime, whatever the ID token says', async () => {
    const d = deps();
    await expect(advanceToken(base({ signedInAt: NOW - 12 * 3600, expiresAt: NOW + 3600 }), d)).rejects.toThrow(/absolute/);
    await expect(advanceToken(base({ signedInAt: NOW - 12 * 3600 }), d)).rejects.toBeInstanceOf(SessionEnded);
    expect(d.refresh).not.toHaveBeenCalled();
    expect(await advanceToken(base({ signedInAt: NOW - 12 * 3600 + 1, expiresAt: NOW + 3600 }), d)).toMatchObject({ sid: 'sid-1' });
  });

  it('ends a session whose cookie has no sign-in time (made before the absolute lifetime existed)', async () => {
    const { signedInAt: _, ...old } = base({ expiresAt: NOW + 3600 });
    await expect(advanceToken(old, deps())).rejects.toBeInstanceOf(SessionEnded);
  });

  it('ends a revoked session', async () => {
    await expect(advanceToken(base(), deps({ isRevoked: () => true }))).rejects.toBeInstanceOf(SessionEnded);
  });

  it('takes the groups and user name from the refreshed ID token', async () => {
    const idToken = jwt({ preferred_username: 'dev-a2', groups: ['team-b', 'viewers'], name: 'Dev A' });
    const d = deps({ refresh: async () => ({ idToken, refreshToken: 'r2', expiresAt: NOW + 3600 }) });
    expect(await advanceToken(base(), d)).toMatchObject({ sid: 'sid-1', username: 'dev-a2', groups: ['team-b', 'viewers'], name: 'Dev A', idToken, refreshToken: 'r2', expiresAt: NOW + 3600 });
  });

  it('drops groups the refreshed token no longer has', async () => {
    const idToken = jwt({ preferred_username: 'dev-a' });
    expect(await advanceToken(base(), deps({ refresh: async () => ({ idToken, expiresAt: NOW + 3600 }) }))).toMatchObject({ groups: [], refreshToken: 'r1' });
  });

  it('ends the session when the refreshed identity is refused', async () => {
    const idToken = jwt({ preferred_username: 'dev-a', groups: ['system:masters'] });
    await expect(advanceToken(base(), deps({ refresh: async () => ({ idToken, expiresAt: NOW + 3600 }) }))).rejects.toBeInstanceOf(SessionEnded);
  });

  it('keeps the session as it is when a refresh fails while the ID token still holds, so the next check tries again', async () => {
    const d = deps({ refresh: vi.fn(async () => Promise.reject(new Error('refresh refused (400)'))) });
    const t = base({ expiresAt: NOW + 60 });
    expect(await advanceToken(t, d)).toEqual(t);
    expect(await advanceToken(t, d)).toEqual(t);
    expect(d.refresh).toHaveBeenCalledTimes(2);
  });

  it('marks the session when the refresh fails and the ID token has expired', async () => {
    const d = deps({ refresh: async () => Promise.reject(new Error('refresh refused (400)')) });
    expect(await advanceToken(base({ expiresAt: NOW }), d)).toMatchObject({ error: 'RefreshFailed', groups: ['team-a'] });
  });
});
