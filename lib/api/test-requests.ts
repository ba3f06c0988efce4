import { createHash } from 'node:crypto';
import { NextRequest } from 'next/server';
import { resetSettings } from '../settings';

// For unit tests of route handlers: requests as the portal's own pages send them (public origin, next-auth's
// signed CSRF cookie and the matching header), against the settings portalEnv() puts in the environment.

const secret = 'unit-test-secret';
const token = 'unit-test-csrf';
const origin = 'http://localhost:3000';

export function portalEnv(env: Record<string, string> = {}): void {
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
