import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin';

describe('originAllowed', () => {
  const expected = 'https://portal.example.com';

  it('takes exactly the public origin', () => {
    expect(originAllowed('https://portal.example.com', expected)).toBe(true);
    expect(originAllowed('http://localhost:3000', 'http://localhost:3000')).toBe(true);
    // The configured URL may carry a path; only its origin counts.
    expect(originAllowed('https://portal.example.com', 'https://portal.example.com/portal/')).toBe(true);
  });

  it.each([
    ['a foreign origin', 'https://evil.example'],
    ['another scheme', 'http://portal.example.com'],
    ['another port', 'https://portal.example.com:8443'],
    ['a sub-domain', 'https://a.portal.example.com'],
    ['a suffix trick', 'https://portal.example.com.evil.example'],
    ['a trailing slash', 'https://portal.example.com/'],
    ['other case', 'https://PORTAL.example.com'],
    ['an opaque origin', 'null'],
    ['no origin', undefined],
    ['an empty origin', ''],
    ['a repeated header', ['https://portal.example.com', 'https://portal.example.com']],
  ])('refuses %s', (_, origin) => {
    expect(originAllowed(origin, expected)).toBe(false);
  });

  it('refuses everything when the configured URL is broken', () => {
    expect(originAllowed('https://portal.example.com', 'not a url')).toBe(false);
  });
});
