import { describe, expect, it } from 'vitest';
import { authBodyError, authErrorBody } from './auth-route-errors';

describe("next-auth's error answers in the portal's error shape", () => {
  it('rewrites a plain-text 4xx, keeping its meaning but not its text', () => {
    expect(authErrorBody(400, 'text/plain')).toEqual({ error: { code: 'bad_request', message: 'The sign-in service does not serve this request.' } });
    expect(authErrorBody(404, null)?.error.code).toBe('not_found');
    expect(authErrorBody(418, 'text/html')?.error.code).toBe('bad_request');
    expect(authErrorBody(500, 'text/plain')?.error.code).toBe('internal');
  });

  it('passes successes, redirects and JSON answers on', () => {
    expect(authErrorBody(200, 'text/html')).toBeUndefined();
    expect(authErrorBody(302, null)).toBeUndefined();
    expect(authErrorBody(400, 'application/json; charset=utf-8')).toBeUndefined();
  });
});

describe('bodies next-auth would fail on', () => {
  it('a POST declared JSON that does not parse is 400', () => {
    for (const text of ['', '{', '\u236e', '{"name":"\ufffd\ufffd"']) {
      expect(authBodyError('POST', 'application/json', text)).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
    }
  });

  it('passes JSON that parses, other content types and other methods on', () => {
    expect(authBodyError('POST', 'application/json; charset=utf-8', '{"csrfToken":"x"}')).toBeUndefined();
    expect(authBodyError('POST', 'application/x-www-form-urlencoded', '{')).toBeUndefined();
    expect(authBodyError('POST', null, '{')).toBeUndefined();
    expect(authBodyError('GET', 'application/json', '{')).toBeUndefined();
  });
});
