import { z } from 'zod';

// How long a session lasts. next-auth's maxAge is sliding (each visit extends it), so a session in daily use would
// never end; the absolute lifetime counts from sign-in and is not extended by anything, refreshes included.

export const SESSION_IDLE_S = 8 * 60 * 60;

const DEFAULT_MAX_LIFETIME = '12h';
const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

const duration = z
  .string()
  .trim()
  .regex(/^\d+[smhd]?$/, 'a whole number of seconds, or with a unit: 90m, 12h, 1d')
  .transform((v) => {
    const unit = /[smhd]$/.test(v) ? (v.slice(-1) as keyof typeof UNIT_S) : 's';
    return Number.parseInt(v, 10) * UNIT_S[unit];
  })
  .pipe(z.number().int().min(300, 'at least 5 minutes').max(30 * 86400, 'at most 30 days'));

// PORTAL_SESSION_MAX_LIFETIME; a bad value stops the portal rather than quietly meaning something else.
export function sessionMaxLifetimeS(value: string | undefined = process.env.PORTAL_SESSION_MAX_LIFETIME): number {
  const r = duration.safeParse(value || DEFAULT_MAX_LIFETIME);
  if (!r.success) throw new Error(`PORTAL_SESSION_MAX_LIFETIME: ${r.error.issues[0]?.message} (got ${JSON.stringify(value)})`);
  return r.data;
}

export function absoluteEndS(signedInAt: number, maxLifetimeS: number): number {
  return signedInAt + maxLifetimeS;
}

// When a request with this session would next be refused without a refresh: the ID token's expiry or the absolute
// end, whichever comes first.
export function sessionEndsAtS(t: { signedInAt: number; expiresAt: number }, maxLifetimeS: number): number {
  return Math.min(t.expiresAt, absoluteEndS(t.signedInAt, maxLifetimeS));
}
