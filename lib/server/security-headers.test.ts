import { getScriptNonceFromHeader, getScriptNonceFromHeaders } from 'next/dist/server/app-render/get-script-nonce-from-header';
import { describe, expect, it } from 'vitest';
import { parsePublicUrl } from '../settings';
import { applySecurityHeaders, contentSecurityPolicy, newNonce, securityHeaders } from './security-headers';

const http = parsePublicUrl('http://localhost:3000');
const https = parsePublicUrl('https://portal.example.com');
const nonce = 'bm9uY2Vub25jZQ==';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('security headers', () => {
  it('the CSP allows our own scripts and the nonced inline ones, nothing else', () => {
    const d = directives(contentSecurityPolicy({ site: http, nonce, dev: false }));
    expect(d.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('websockets to the public origin are allowed explicitly', () => {
    expect(directives(contentSecurityPolicy({ site: http, nonce, dev: false })).get('connect-src')).toEqual(["'self'", 'ws://localhost:3000']);
    expect(directives(contentSecurityPolicy({ site: https, nonce, dev: false })).get('connect-src')).toEqual(["'self'", 'wss://portal.example.com']);
  });

  it("'unsafe-eval' only in development", () => {
    expect(contentSecurityPolicy({ site: http, nonce, dev: false })).not.toContain('unsafe-eval');
    expect(directives(contentSecurityPolicy({ site: http, nonce, dev: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('Next finds the nonce in the policy with its own parser (what it puts on its inline scripts)', () => {
    expect(getScriptNonceFromHeader(contentSecurityPolicy({ site: http, nonce, dev: false }))).toBe(nonce);
    expect(getScriptNonceFromHeader(contentSecurityPolicy({ site: https, nonce, dev: true }))).toBe(nonce);
  });

  it('HSTS and upgrade-insecure-requests only when the public URL is https', () => {
    expect(securityHeaders({ site: http, nonce, dev: false })['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ site: https, nonce, dev: false })['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(directives(contentSecurityPolicy({ site: http, nonce, dev: false })).has('upgrade-insecure-requests')).toBe(false);
    expect(directives(contentSecurityPolicy({ site: https, nonce, dev: false })).has('upgrade-insecure-requests')).toBe(true);
  });

  it('the fixed headers', () => {
    expect(securityHeaders({ site: http, nonce, dev: false })).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': expect.stringContaining('camera=()'),
    });
  });

  it('a fresh, unguessable nonce each time', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });

  it('per request: the response carries the headers, and the request the policy Next takes the nonce from', () => {
    const req = { headers: { 'content-security-policy': "script-src 'nonce-attacker'" } as Record<string, string> };
    const sent: Record<string, string> = {};
    applySecurityHeaders(req, { setHeader: (name, value) => (sent[name] = value) }, { site: https, dev: false }, nonce);
    expect(sent['content-security-policy']).toContain(`'nonce-${nonce}'`);
    expect(sent['strict-transport-security']).toBeDefined();
    expect(getScriptNonceFromHeaders(req.headers)).toBe(nonce);
  });
});
