import { describe, expect, it } from 'vitest';
import { sessionEndsAtS } from './session-lifetime';

describe('sessionEndsAtS', () => {
  it('is the earlier of the ID token expiry and the absolute end', () => {
    expect(sessionEndsAtS({ signedInAt: 1000, expiresAt: 2000 }, 3600)).toBe(2000);
    expect(sessionEndsAtS({ signedInAt: 1000, expiresAt: 9000 }, 3600)).toBe(4600);
  });
});
