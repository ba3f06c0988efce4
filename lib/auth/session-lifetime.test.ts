import { describe, expect, it } from 'vitest';
import { sessionEndsAtS, sessionMaxLifetimeS } from './session-lifetime';

describe('sessionMaxLifetimeS', () => {
  it('defaults to 12 hours', () => {
    expect(sessionMaxLifetimeS(undefined)).toBe(12 * 3600);
    expect(sessionMaxLifetimeS('')).toBe(12 * 3600);
  });
  it.each([
    ['3600', 3600],
    ['900s', 900],
    ['90m', 5400],
    ['8h', 28800],
    ['1d', 86400],
  ])('reads %s', (v, s) => expect(sessionMaxLifetimeS(v)).toBe(s));
  it.each(['12 hours', '-1h', '1.5h', '10s', '60d', 'h'])('refuses %j', (v) => expect(() => sessionMaxLifetimeS(v)).toThrow(/PORTAL_SESSION_MAX_LIFETIME/));
});

describe('sessionEndsAtS', () => {
  it('is the earlier of the ID token expiry and the absolute end', () => {
    expect(sessionEndsAtS({ signedInAt: 1000, expiresAt: 2000 }, 3600)).toBe(2000);
    expect(sessionEndsAtS({ signedInAt: 1000, expiresAt: 9000 }, 3600)).toBe(4600);
  });
});
