import { resolve } from 'node:path';
import { z } from 'zod';
import type { Mode } from './mode';
import { optional, text, withDefault, type Parsed, type Requirements } from './vars';

// The session cookie's key, how long a session may last, where the portal keeps its own state (the generated
// session secret, the revoked sessions), and where revoked sessions are shared when several replicas serve the
// same users.

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

// A Kubernetes object name (DNS-1123 subdomain) or namespace (DNS-1123 label).
const dnsSubdomain = text.regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name (lower-case letters, digits, - and .)');
const dnsLabel = text.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name (lower-case letters, digits and -)');

const STORES = ['file', 'kubernetes'] as const;

export const sessionVars = {
  NEXTAUTH_SECRET: optional(z.string()),
  PORTAL_SESSION_MAX_LIFETIME: withDefault(duration, '12h'),
  PORTAL_STATE_DIR: withDefault(text, '.portal'),
  PORTAL_SESSION_STORE: withDefault(z.enum(STORES, { error: 'must be file or kubernetes' }), 'file'),
  PORTAL_SESSION_STORE_NAMESPACE: optional(dnsLabel),
  PORTAL_SESSION_STORE_NAME: withDefault(dnsSubdomain, 'kubevirt-portal-sessions'),
};

// Where revoked sessions are kept. `file`: one process (or processes on one host sharing PORTAL_STATE_DIR).
// `kubernetes`: a ConfigMap every replica follows with a watch.
export type RevocationStoreSettings = { kind: 'file' } | { kind: 'kubernetes'; namespace: string; name: string };

export interface SessionSettings {
  // Encrypts the session cookie. Unset: server.ts generates one into the state directory and passes it on.
  secret?: string;
  maxLifetimeS: number; // absolute, from sign-in; refreshes and activity do not extend it
  stateDir: string;
  store: RevocationStoreSettings;
}

const SANDBOX_STORE_NAMESPACE = 'default';

export function sessionSettings(v: Parsed<typeof sessionVars>, mode: Mode, r: Requirements): SessionSettings {
  let store: RevocationStoreSettings = { kind: 'file' };
  if (v.PORTAL_SESSION_STORE === 'kubernetes') {
    const namespace = v.PORTAL_SESSION_STORE_NAMESPACE ?? (mode.sandbox ? SANDBOX_STORE_NAMESPACE : undefined);
    if (!namespace) r.need('PORTAL_SESSION_STORE_NAMESPACE', 'the namespace of the ConfigMap that PORTAL_SESSION_STORE=kubernetes keeps revoked sessions in');
    store = { kind: 'kubernetes', namespace: namespace ?? '', name: v.PORTAL_SESSION_STORE_NAME };
    // A shared store means several replicas: a secret each one generated for itself would make every replica refuse
    // the others' cookies. (In sandbox mode processes on one host share the generated file in PORTAL_STATE_DIR.)
    if (!v.NEXTAUTH_SECRET && !mode.sandbox) r.need('NEXTAUTH_SECRET', 'replicas sharing sessions (PORTAL_SESSION_STORE=kubernetes) must share the key of the session cookie');
  }
  return {
    secret: v.NEXTAUTH_SECRET,
    maxLifetimeS: v.PORTAL_SESSION_MAX_LIFETIME,
    stateDir: resolve(/*turbopackIgnore: true*/ v.PORTAL_STATE_DIR),
    store,
  };
}
