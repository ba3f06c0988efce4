import { describe, expect, it, vi } from 'vitest';
import { identityFromToken, type SessionCheckDeps } from './session-check';
import type { PortalToken } from './session-token';

vi.mock('server-only', () => ({}));

const NOW = 1_800_000_000;
const H = 3600;
const deps = (over: Partial<SessionCheckDeps> = {}): SessionCheckDeps => ({ nowS: NOW, maxLifetimeS: 12 * H, isRevoked: () => false, ...over });
const token = (over: Partial<PortalToken> = {}): PortalToken => ({
  sid: 'sid-1',
  username: 'dev-a',
  groups: ['team-a'],
  idToken: 'id.token.sig',
  expiresAt: NOW + H,
  signedInAt: NOW - H,
  ...over,
});

describe('identityFromToken', () => {
  it('gives the identity, and when the session ends', () => {
    expect(identityFromToken(token(), 'impersonate', deps())).toEqual({
      ok: true,
      identity: { mode: 'impersonate', username: 'dev-a', groups: ['team-a'] },
      displayName: 'dev-a',
      session: { sid: 'sid-1', endsAt: NOW + H },
    });
    expect(identityFromToken(token(), 'token', deps())).toMatchObject({ ok: true, identity: { mode: 'token', token: 'id.token.sig' } });
  });

  it('ends the session at the absolute lifetime even with a fresh ID token', () => {
    const old = token({ signedInAt: NOW - 12 * H, expiresAt: NOW + H });
    expect(identityFromToken(old, 'impersonate', deps())).toEqual({ ok: false, reason: 'expired' });
    expect(identityFromToken(token({ signedInAt: NOW - 12 * H + 600, expiresAt: NOW + H }), 'impersonate', deps())).toMatchObject({
      ok: true,
      session: { endsAt: NOW + 600 },
    });
  });

  it('refuses an expired ID token, a failed refresh and a revoked session', () => {
    expect(identityFromToken(token({ expiresAt: NOW }), 'token', deps())).toEqual({ ok: false, reason: 'expired' });
    expect(identityFromToken(token({ error: 'RefreshFailed' }), 'token', deps())).toEqual({ ok: false, reason: 'expired' });
    expect(identityFromToken(token(), 'token', deps({ isRevoked: (sid) => sid === 'sid-1' }))).toEqual({ ok: false, reason: 'revoked' });
  });

  it('is no session without a cookie, with an older cookie shape, or with a refused identity', () => {
    expect(identityFromToken(null, 'token', deps())).toEqual({ ok: false, reason: 'no_session' });
    const { signedInAt: _, ...noSignIn } = token();
    expect(identityFromToken(noSignIn, 'token', deps())).toEqual({ ok: false, reason: 'no_session' });
    expect(identityFromToken(token({ username: '' }), 'impersonate', deps())).toEqual({ ok: false, reason: 'no_session' });
    expect(identityFromToken(token({ groups: ['system:masters'] }), 'impersonate', deps())).toEqual({ ok: false, reason: 'no_session' });
  });
});
