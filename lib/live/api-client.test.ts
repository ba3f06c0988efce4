import { afterEach, describe, expect, it, vi } from 'vitest';

const getSession = vi.fn();
vi.mock('next-auth/react', () => ({ getSession: () => getSession(), getCsrfToken: vi.fn() }));

const { refreshSessionOrSignIn, setSigningOut } = await import('./api-client');

describe('refreshSessionOrSignIn', () => {
  const location = { href: 'http://portal/vms', pathname: '/vms', search: '' };
  vi.stubGlobal('window', { location });
  afterEach(() => {
    setSigningOut(false);
    location.href = 'http://portal/vms';
    getSession.mockReset();
  });

  it('sends an ended session to sign in, with the way back', async () => {
    getSession.mockResolvedValue(null);
    expect(await refreshSessionOrSignIn()).toBe(false);
    expect(location.href).toBe('/signin?reason=expired&callbackUrl=%2Fvms');
  });

  it('leaves the page alone while the user signs out (the sign-out navigates, and must not be raced)', async () => {
    setSigningOut(true);
    getSession.mockResolvedValue(null);
    expect(await refreshSessionOrSignIn()).toBe(false);
    expect(location.href).toBe('http://portal/vms');
  });

  it('leaves the page alone when the sign-out starts while the session is being asked about', async () => {
    getSession.mockImplementation(async () => {
      setSigningOut(true);
      return null;
    });
    expect(await refreshSessionOrSignIn()).toBe(false);
    expect(location.href).toBe('http://portal/vms');
  });

  it('keeps a live session', async () => {
    getSession.mockResolvedValue({ user: { name: 'dev-a' } });
    expect(await refreshSessionOrSignIn()).toBe(true);
    expect(location.href).toBe('http://portal/vms');
  });
});
