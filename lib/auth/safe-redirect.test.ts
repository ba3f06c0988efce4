import { describe, expect, it } from 'vitest';
import { safeRedirectPath, safeRedirectUrl } from './safe-redirect';

describe('safeRedirectPath', () => {
  it.each([
    '/\\evil.example',
    '\\\\evil.example',
    '//evil',
    '//evil.example/vms',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%2F%2Fevil.example',
    '/%252F%252Fevil.example',
    '/%25255C%25255Cevil.example',
    'https://evil',
    'http://localhost:3000/vms',
    'javascript:alert(1)',
    ' javascript:alert(1)',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
    '/%2e%2e//evil.example',
    '/x/..%2F..%2F/evil.example',
    'vms',
    '',
    '/%E0',
  ])('refuses %j', (input) => expect(safeRedirectPath(input)).toBe('/vms'));

  it('refuses what is not a string or is very long', () => {
    expect(safeRedirectPath(undefined)).toBe('/vms');
    expect(safeRedirectPath(['/vms/x'])).toBe('/vms');
    expect(safeRedirectPath('/' + 'a'.repeat(3000))).toBe('/vms');
  });

  it.each([
    ['/vms', '/vms'],
    ['/vms/team-a/demo?tab=console#serial', '/vms/team-a/demo?tab=console#serial'],
    ['/vms?q=a%20b', '/vms?q=a%20b'],
    ['/signin?reason=signed_out', '/signin?reason=signed_out'],
    ['/vms/../admin', '/admin'],
  ])('keeps the portal path %j', (input, out) => expect(safeRedirectPath(input)).toBe(out));

  it('uses the caller’s fallback', () => expect(safeRedirectPath('//evil', '/signin')).toBe('/signin'));
});

describe('safeRedirectUrl (next-auth redirect callback)', () => {
  const pub = 'https://portal.example';
  it('keeps paths and URLs on the public origin', () => {
    expect(safeRedirectUrl('/vms/team-a', pub)).toBe('https://portal.example/vms/team-a');
    expect(safeRedirectUrl('https://portal.example/signin?reason=signed_out', pub)).toBe('https://portal.example/signin?reason=signed_out');
  });
  it.each(['https://evil.example/', 'https://portal.example.evil.example/vms', 'http://portal.example/vms', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 'https://portal.example/\\evil.example', 'not a url'])(
    'sends %j to the portal’s default page',
    (input) => expect(safeRedirectUrl(input, pub)).toBe('https://portal.example/vms'),
  );
});
