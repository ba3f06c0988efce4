import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { checkCsrf, type CsrfInput } from './csrf';

vi.mock('server-only', () => ({}));

const secret = 's3cret';
const token = 'abc123';
const cookie = `${token}|${createHash('sha256').update(`${token}${secret}`).digest('hex')}`;
const good: CsrfInput = {
  method: 'POST',
  origin: 'http://localhost:3000',
  secFetchSite: 'same-origin',
  expectedOrigin: 'http://localhost:3000',
  csrfHeader: token,
  csrfCookie: cookie,
  secret,
};

describe('CSRF protection of mutations', () => {
  it('accepts a same-origin request with next-auth’s token', () => expect(checkCsrf(good)).toEqual({ ok: true }));
  it('lets reads through', () => expect(checkCsrf({ ...good, method: 'GET', origin: 'https://evil.example', csrfHeader: null })).toEqual({ ok: true }));
  it('refuses another origin', () => expect(checkCsrf({ ...good, origin: 'https://evil.example' }).ok).toBe(false));
  it('refuses a DNS-rebinding page: its Origin matches its own Host, not the public URL', () =>
    expect(checkCsrf({ ...good, origin: 'http://rebind.example:3000' })).toEqual({ ok: false, reason: 'cross-origin request' }));
  it('checks every method but GET and HEAD', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'post']) expect(checkCsrf({ ...good, method, csrfHeader: null }).ok).toBe(false);
    for (const method of ['GET', 'HEAD', 'head']) expect(checkCsrf({ ...good, method, csrfHeader: null }).ok).toBe(true);
  });
  it('refuses a cross-site request without Origin', () => expect(checkCsrf({ ...good, origin: null, secFetchSite: 'cross-site' }).ok).toBe(false));
  it('refuses a request with neither Origin nor Sec-Fetch-Site', () => expect(checkCsrf({ ...good, origin: null, secFetchSite: null }).ok).toBe(false));
  it('refuses a missing or different token', () => {
    expect(checkCsrf({ ...good, csrfHeader: null }).ok).toBe(false);
    expect(checkCsrf({ ...good, csrfHeader: 'other' }).ok).toBe(false);
  });
  it('refuses a cookie not signed with the portal’s secret', () => {
    expect(checkCsrf({ ...good, csrfCookie: `${token}|${'0'.repeat(64)}` }).ok).toBe(false);
    expect(checkCsrf({ ...good, secret: 'other' }).ok).toBe(false);
  });
});
