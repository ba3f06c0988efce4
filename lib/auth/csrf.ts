import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';

// Cross-site request protection for the portal's mutating routes, two independent checks:
// 1. same origin: the browser's Origin (or Sec-Fetch-Site) must say the request comes from the portal's own pages,
//    i.e. the configured public URL (lib/settings/public-url.ts). Never the request's Host: a DNS-rebinding page
//    sends a Host and an Origin that agree with each other;
// 2. next-auth's double-submit token: the x-csrf-token header must match the token in next-auth's signed csrf
//    cookie (a cross-site page can neither read that cookie nor set the header).
// Pure over the request's headers, so it is unit-tested.

export interface CsrfInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  expectedOrigin: string; // the public URL's origin
  csrfHeader: string | null;
  csrfCookie: string | undefined;
  secret: string;
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

// Only methods browsers treat as reads. Everything else is checked, so a new route cannot opt out by forgetting.
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export function needsCsrfCheck(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkCsrf(i: CsrfInput): CsrfVerdict {
  if (!needsCsrfCheck(i.method)) return { ok: true };
  if (i.origin) {
    if (i.origin !== new URL(i.expectedOrigin).origin) return { ok: false, reason: 'cross-origin request' };
  } else if (i.secFetchSite && i.secFetchSite !== 'same-origin') {
    return { ok: false, reason: 'cross-site request' };
  } else if (!i.secFetchSite) {
    return { ok: false, reason: 'request without origin' };
  }
  if (!i.csrfHeader || !i.csrfCookie) return { ok: false, reason: 'missing csrf token' };
  const [token, hash] = i.csrfCookie.split('|');
  if (!token || !hash) return { ok: false, reason: 'malformed csrf cookie' };
  const expected = createHash('sha256').update(`${token}${i.secret}`).digest('hex');
  if (!sameString(hash, expected)) return { ok: false, reason: 'csrf cookie not signed by this portal' };
  if (!sameString(token, i.csrfHeader)) return { ok: false, reason: 'csrf token mismatch' };
  return { ok: true };
}

export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-next-auth.csrf-token' : 'next-auth.csrf-token';
}
