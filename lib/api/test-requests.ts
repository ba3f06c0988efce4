import { createHash } from 'node:crypto';
import { NextRequest } from 'next/server';

// For unit tests of route handlers: requests as the portal's own pages send them (public origin, next-auth's
// signed CSRF cookie and the matching header), against NEXTAUTH_URL/NEXTAUTH_SECRET set by portalEnv().

const secret = 'unit-test-secret';
const token = 'unit-test-csrf';
const origin = 'http://localhost:3000';

export function portalEnv(): void {
  process.env.NEXTAUTH_URL = origin;
  process.env.NEXTAUTH_SECRET = secret;
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
