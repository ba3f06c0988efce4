import { createHash } from 'node:crypto';
import { NextRequest } from 'next/server';
import { resetSettings } from '../settings';

// For unit tests of route handlers: requests as the portal's own pages send them (public origin, next-auth's
// signed CSRF cookie and the matching header), against the settings portalEnv() puts in the environment.

const secret = 'unit-test-secret';
const token = 'unit-test-csrf';
const origin = 'http://localhost:3000';

// The whole portal environment of a test: a shell's own settings (a CI run beside another sandbox sets
// SANDBOX_PORT_OFFSET, a developer may have OIDC_ISSUER) must not leak into what a route sees.
const SETTINGS_PREFIX = /^(PORTAL_|OIDC_|K8S_|SANDBOX_)/;

export function portalEnv(env: Record<string, string> = {}): void {
  for (const key of Object.keys(process.env)) if (SETTINGS_PREFIX.test(key) && !(key in env)) delete process.env[key];
  Object.assign(process.env, { PORTAL_SANDBOX: 'true', NEXTAUTH_URL: origin, NEXTAUTH_SECRET: secret }, env);
  resetSettings();
}

export const fromPortal: Record<string, string> = {
  origin,
  cookie: `next-auth.csrf-token=${token}|${createHash('sha256').update(`${token}${secret}`).digest('hex')}`,
  'x-csrf-token': token,
};

export function portalRequest(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): NextRequest {
  // undici refuses a streamed body without duplex: 'half'.
  const duplex = init.body instanceof ReadableStream ? { duplex: 'half' as const } : {};
  return new NextRequest(`${origin}${path}`, { method, headers: init.headers, body: init.body, ...duplex });
}

export const routeParams = <P>(params: P) => ({ params: Promise.resolve(params) });
