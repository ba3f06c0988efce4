import { describe, expect, it } from 'vitest';
import { authErrorBody } from './auth-route-errors';

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
