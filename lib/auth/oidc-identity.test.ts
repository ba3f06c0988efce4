import { describe, expect, it, vi } from 'vitest';
import type { ClaimRules } from '../settings';
import { oidcIdentity } from './oidc-identity';

vi.mock('server-only', () => ({}));

const rules: ClaimRules = { usernameClaim: 'preferred_username', groupsClaim: 'groups', usernamePrefix: '', groupsPrefix: '' };

describe('oidcIdentity', () => {
  it('takes the configured claims as they are with no prefixes', () => {
    expect(oidcIdentity({ sub: 'x', preferred_username: 'dev-a', groups: ['team-a'] }, rules)).toEqual({ ok: true, username: 'dev-a', groups: ['team-a'] });
    expect(oidcIdentity({ preferred_username: 'dev-a', groups: 'team-a' }, rules)).toEqual({ ok: true, username: 'dev-a', groups: ['team-a'] });
    expect(oidcIdentity({ preferred_username: 'dev-a' }, rules)).toEqual({ ok: true, username: 'dev-a', groups: [] });
  });

  it('applies the API server’s prefixes to the user and every group', () => {
    expect(oidcIdentity({ preferred_username: 'dev-a', groups: ['team-a', 'viewers'] }, { ...rules, usernamePrefix: 'oidc:', groupsPrefix: 'oidc:' })).toEqual({
      ok: true,
      username: 'oidc:dev-a',
      groups: ['oidc:team-a', 'oidc:viewers'],
    });
  });

  it('does not fall back to another claim when the user name claim is missing', () => {
    expect(oidcIdentity({ sub: 'CgVkZXYtYQ', groups: [] }, rules).ok).toBe(false);
    expect(oidcIdentity({ preferred_username: '' }, rules).ok).toBe(false);
    expect(oidcIdentity({ preferred_username: 42 }, rules).ok).toBe(false);
  });

  it('refuses system: users and groups', () => {
    expect(oidcIdentity({ preferred_username: 'system:admin' }, rules)).toEqual({ ok: false, reason: 'reserved user name' });
    expect(oidcIdentity({ preferred_username: 'dev-a', groups: ['team-a', 'system:masters'] }, rules)).toEqual({ ok: false, reason: 'reserved group name' });
  });

  it('lets a prefix make a system:-looking claim harmless, as the API server does', () => {
    expect(oidcIdentity({ preferred_username: 'system:admin', groups: ['system:masters'] }, { ...rules, usernamePrefix: 'oidc:', groupsPrefix: 'oidc:' })).toEqual({
      ok: true,
      username: 'oidc:system:admin',
      groups: ['oidc:system:masters'],
    });
  });

  it('refuses groups that are not strings', () => expect(oidcIdentity({ preferred_username: 'dev-a', groups: ['a', 1] }, rules).ok).toBe(false));

  it('refuses an unverified e-mail user name', () => {
    const email = { ...rules, usernameClaim: 'email' };
    expect(oidcIdentity({ email: 'a@x.test', email_verified: false }, email).ok).toBe(false);
    expect(oidcIdentity({ email: 'a@x.test', email_verified: true }, email)).toMatchObject({ ok: true, username: 'a@x.test' });
    expect(oidcIdentity({ email: 'a@x.test' }, email)).toMatchObject({ ok: true, username: 'a@x.test' });
  });
});
