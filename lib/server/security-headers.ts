import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PublicUrl } from '../settings';

// The security headers of every response the portal sends (pages, API routes, built assets, error pages), set by
// server.ts before Next sees the request. Pure given the nonce, so the policy is unit-tested.
//
// Scripts: Next's App Router streams inline <script> tags (the RSC payload, React's bootstrap). Next reads the
// nonce from the *request's* Content-Security-Policy header (its getScriptNonceFromHeaders looks at script-src)
// and puts it on every script tag it renders, so server.ts copies this policy onto the request as well as the
// response. This needs every page to render per request: the root layout reads cookies (the locale), so they all
// do. No 'strict-dynamic': the only host we allow is our own, and 'self' keeps Next's lazily loaded chunks working
// without relying on the nonce reaching each one.

export interface SecurityHeaderOptions {
  site: PublicUrl;
  nonce: string;
  // next dev: React Refresh and React's dev tooling evaluate code strings.
  dev: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy({ site, nonce, dev }: SecurityHeaderOptions): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", `'nonce-${nonce}'`, ...(dev ? ["'unsafe-eval'"] : [])],
    // React renders style={...} props as style attributes in the server HTML, and a nonce cannot cover
    // attributes; Tailwind's CSS itself is a same-origin stylesheet. Style injection cannot run script.
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    // 'self' covers same-origin websockets in current Chromium; the explicit ws(s) origin is for browsers that
    // predate that rule (the consoles and next dev's HMR socket connect there).
    ['connect-src', "'self'", site.websocketOrigin],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    // Sign-in does not post a form to the identity provider: next-auth's signIn() fetches
    // /api/auth/signin/<provider> and then navigates to the URL it returns, which form-action does not govern.
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ...(site.secure ? ([['upgrade-insecure-requests']] as [string][]) : []),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(o),
    'x-content-type-options': 'nosniff',
    // Not no-referrer: with it, Chromium sends `Origin: null` on same-origin form posts, and the CSRF check
    // needs the real Origin. Cross-origin requests still get only the origin, never VM names from the path.
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    // Browsers ignore it over http, and a portal deliberately served over http (the sandbox) must not claim https.
    ...(o.site.secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

// Per request in server.ts: a fresh nonce, the headers on the response, and the same policy on the request for Next
// to take the nonce from (replacing any policy the client sent under that name).
export function applySecurityHeaders(
  req: { headers: IncomingHttpHeaders },
  res: { setHeader(name: string, value: string): unknown },
  o: Omit<SecurityHeaderOptions, 'nonce'>,
  nonce = newNonce(),
): void {
  const headers = securityHeaders({ ...o, nonce });
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  req.headers['content-security-policy'] = headers['content-security-policy'];
}
