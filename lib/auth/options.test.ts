import { afterEach, describe, expect, it, vi } from 'vitest';
import { authOptions } from './options';

vi.mock('server-only', () => ({}));

const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = saved;
});

describe('next-auth options', () => {
  it('secure cookies when the public URL is https', () => {
    process.env.NEXTAUTH_URL = 'https://portal.example.com';
    expect(authOptions().useSecureCookies).toBe(true);
  });
  it('plain cookies when it is http (the sandbox on localhost)', () => {
    process.env.NEXTAUTH_URL = 'http://localhost:3000';
    expect(authOptions().useSecureCookies).toBe(false);
  });
});
