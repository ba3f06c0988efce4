import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { cookiesOf, identityFromRequest, type RequestIdentityOptions } from './request-identity';

const SECRET = 'a-test-secret-of-enough-length-000000';
const NOW = 1_800_000_000;
const token = {
  sid: 'sid-1',
  username: 'dev-a',
  groups: ['team-a'],
  idToken: 'id.token.sig',
  expiresAt: NOW + 3600,
  signedInAt: NOW - 60,
};
const opts = (over: Partial<RequestIdentityOptions> = {}): RequestIdentityOptions => ({
  mode: 'token',
  secret: SECRET,
  secureCookie: false,
  maxLifetimeS: 12 * 3600,
  isRevoked: () => false,
  kubeconfigUser: () => 'admin',
  nowS: () => NOW,
  ...over,
});
const cookie = async (t: object = token, secret = SECRET) => `other=1; next-auth.session-token=${await encode({ token: t as never, secret })}`;

describe('cookiesOf', () => {
  it('reads a Cookie header', () => {
    expect(cookiesOf('a=1; b="two"; c=%41; bad; =x; a=again')).toEqual({ a: '1', b: 'two', c: 'A' });
    expect(cookiesOf(undefined)).toEqual({});
  });
});

describe('identityFromRequest', () => {
  it('reads the session cookie like currentIdentity', async () => {
    const who = await identityFromRequest({ headers: { cookie: await cookie() } }, opts());
    expect(who).toEqual({
      ok: true,
      identity: { mode: 'token', username: 'dev-a', groups: ['team-a'], token: 'id.token.sig' },
      displayName: 'dev-a',
      session: { sid: 'sid-1', endsAt: NOW + 3600 },
    });
    const imp = await identityFromRequest({ headers: { cookie: await cookie() } }, opts({ mode: 'impersonate' }));
    expect(imp.ok && imp.identity).toEqual({ mode: 'impersonate', username: 'dev-a', groups: ['team-a'] });
  });

  it('reads the __Secure- cookie behind https', async () => {
    const c = (await cookie()).replace('next-auth.session-token', '__Secure-next-auth.session-token');
    expect((await identityFromRequest({ headers: { cookie: c } }, opts({ secureCookie: true }))).ok).toBe(true);
    expect((await identityFromRequest({ headers: { cookie: c } }, opts())).ok).toBe(false);
  });

  it('refuses no cookie, a forged or foreign cookie, a bearer header, a revoked or expired session', async () => {
    expect(await identityFromRequest({ headers: {} }, opts())).toEqual({ ok: false, reason: 'no_session' });
    expect(await identityFromRequest({ headers: { cookie: 'next-auth.session-token=forged' } }, opts())).toEqual({ ok: false, reason: 'no_session' });
    expect(await identityFromRequest({ headers: { cookie: await cookie(token, 'another-secret-000000000000000000000') } }, opts())).toEqual({ ok: false, reason: 'no_session' });
    const jwt = (await cookie()).split('next-auth.session-token=')[1];
    expect(await identityFromRequest({ headers: { authorization: `Bearer ${jwt}` } }, opts())).toEqual({ ok: false, reason: 'no_session' });
    expect(await identityFromRequest({ headers: { cookie: await cookie() } }, opts({ isRevoked: () => true }))).toEqual({ ok: false, reason: 'revoked' });
    expect(await identityFromRequest({ headers: { cookie: await cookie() } }, opts({ nowS: () => NOW + 7200 }))).toEqual({ ok: false, reason: 'expired' });
  });

  it('is the kubeconfig user in single-user mode', async () => {
    expect(await identityFromRequest({ headers: {} }, opts({ mode: 'kubeconfig' }))).toEqual({
      ok: true,
      identity: { mode: 'kubeconfig', username: 'admin', groups: [] },
      displayName: 'admin',
    });
  });
});
