import { resolve } from 'node:path';
import { z } from 'zod';
import { optional, text, withDefault, type Parsed } from './vars';

// The session cookie's key, how long a session may last, and where the portal keeps its own state (the generated
// session secret, the revoked sessions).

const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

// A whole number of seconds, or with a unit; bounded so a typo cannot make sessions endless or useless.
const duration = z
  .string()
  .trim()
  .regex(/^\d+[smhd]?$/, 'a whole number of seconds, or with a unit: 90m, 12h, 1d')
  .transform((v) => {
    const unit = /[smhd]$/.test(v) ? (v.slice(-1) as keyof typeof UNIT_S) : 's';
    return Number.parseInt(v, 10) * UNIT_S[unit];
  })
  .pipe(z.number().int().min(300, 'at least 5 minutes').max(30 * 86400, 'at most 30 days'));

export const sessionVars = {
  NEXTAUTH_SECRET: optional(z.string()),
  PORTAL_SESSION_MAX_LIFETIME: withDefault(duration, '12h'),
  PORTAL_STATE_DIR: withDefault(text, '.portal'),
};

export interface SessionSettings {
  // Encrypts the session cookie. Unset: server.ts generates one into the state directory and passes it on.
  secret?: string;
  maxLifetimeS: number; // absolute, from sign-in; refreshes and activity do not extend it
  stateDir: string;
}

export function sessionSettings(v: Parsed<typeof sessionVars>): SessionSettings {
  return {
    secret: v.NEXTAUTH_SECRET,
    maxLifetimeS: v.PORTAL_SESSION_MAX_LIFETIME,
    stateDir: resolve(/*turbopackIgnore: true*/ v.PORTAL_STATE_DIR),
  };
}
