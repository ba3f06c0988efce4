import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSettings } from '../settings';
import { authOptions } from './options';
import { sampleValue } from '../metrics/test-samples';

vi.mock('server-only', () => ({}));

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetSettings();
});

// Each case states the whole portal environment: what the shell running the tests set (a CI run beside another
// sandbox sets OIDC_ISSUER, for one) must not leak in.
const portalVar = /^(OIDC_|K8S_|PORTAL_|NEXTAUTH_|SANDBOX_)/;
const withEnv = (env: Record<string, string>) => {
  for (const k of Object.keys(process.env)) if (portalVar.test(k)) delete process.env[k];
  Object.assign(process.env, { PORTAL_SANDBOX: 'true' }, env);
  resetSettings();
};

describe('next-auth options', () => {
  it('secure cookies when the public URL is https', () => {
    withEnv({ NEXTAUTH_URL: 'https://portal.example.com' });
    expect(authOptions().useSecureCookies).toBe(true);
  });
  it('plain cookies when it is http (the sandbox on localhost)', () => {
    withEnv({ NEXTAUTH_URL: 'http://localhost:3000' });
    expect(authOptions().useSecureCookies).toBe(false);
  });
  it('no sign-in provider in kubeconfig mode without an identity provider', () => {
    withEnv({ PORTAL_SANDBOX: 'false', PORTAL_AUTH_MODE: 'kubeconfig', K8S_API_SERVER: 'https://k8s.example:6443', PORTAL_KUBECONFIG: '/dev/null' });
    expect(authOptions().providers).toEqual([]);
  });

  it('counts next-auth’s identity-provider failures by kind in portal_idp_errors_total, and none of its other errors', async () => {
    withEnv({});
    const logger = authOptions().logger!;
    const kind = (k: string) => sampleValue('portal_idp_errors_total', { kind: k });
    const total = () => sampleValue('portal_idp_errors_total');
    const [exchange0, signIn0, total0] = [await kind('token_exchange'), await kind('sign_in'), await total()];
    const quietly = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      logger.error!('OAUTH_CALLBACK_ERROR', { message: 'invalid_grant' } as never);
      logger.error!('SIGNIN_OAUTH_ERROR', { message: 'discovery failed' } as never);
      logger.error!('JWT_SESSION_ERROR', { message: 'decryption failed' } as never);
    } finally {
      quietly.mockRestore();
    }
    expect(await kind('token_exchange')).toBe(exchange0 + 1);
    expect(await kind('sign_in')).toBe(signIn0 + 1);
    expect(await total()).toBe(total0 + 2);
  });
});
