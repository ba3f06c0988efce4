// How long a session lasts. next-auth's maxAge is sliding (each visit extends it), so a session in daily use would
// never end; the absolute lifetime counts from sign-in and is not extended by anything, refreshes included.

export const SESSION_IDLE_S = 8 * 60 * 60;
// The absolute lifetime is PORTAL_SESSION_MAX_LIFETIME (lib/settings/session.ts).

export function absoluteEndS(signedInAt: number, maxLifetimeS: number): number {
  return signedInAt + maxLifetimeS;
}

// When a request with this session would next be refused without a refresh: the ID token's expiry or the absolute
// end, whichever comes first.
export function sessionEndsAtS(t: { signedInAt: number; expiresAt: number }, maxLifetimeS: number): number {
  return Math.min(t.expiresAt, absoluteEndS(t.signedInAt, maxLifetimeS));
}
