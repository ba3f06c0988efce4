import { EventEmitter } from 'node:events';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { K8sIdentity } from './identity';

vi.mock('server-only', () => ({}));

// Every request the client would send upstream goes through this fake, which records it and refuses the connection.
const sent = vi.hoisted(() => [] as { url: string; headers: Record<string, unknown> }[]);
vi.mock('node:https', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:https')>();
  const request = (url: URL | string, opts: { headers: Record<string, unknown> }) => {
    sent.push({ url: String(url), headers: opts.headers });
    const r = Object.assign(new EventEmitter(), {
      end: () => queueMicrotask(() => r.emit('error', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))),
      destroy: () => {},
    });
    return r;
  };
  return { ...actual, default: { ...actual, request }, request };
});

// A pod's layout: the token and the CA side by side, the API server named by K8S_API_SERVER.
const dir = mkdtempSync(join(tmpdir(), 'portal-sa-test-'));
const tokenFile = join(dir, 'token');
const caFile = join(dir, 'ca.crt');
writeFileSync(tokenFile, 'first-token\n');
writeFileSync(caFile, '');
// The kubelet swaps a projected token by renaming a new file into place.
const rotate = (token: string) => {
  writeFileSync(join(dir, 'token.next'), token);
  renameSync(join(dir, 'token.next'), tokenFile);
};

const saved = { ...process.env };
Object.assign(process.env, {
  PORTAL_SANDBOX: 'false',
  PORTAL_AUTH_MODE: 'impersonate',
  K8S_API_SERVER: 'https://kubernetes.default.svc',
  K8S_CA_FILE: caFile,
  PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: tokenFile,
  PORTAL_KUBECONFIG: '',
  OIDC_ISSUER: 'https://idp.example',
  OIDC_CLIENT_ID: 'c',
  OIDC_CLIENT_SECRET: 's',
});
const { resetSettings } = await import('../settings');
resetSettings();
const { clientFor } = await import('./client');
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetSettings();
});
beforeEach(() => void sent.splice(0));

const devA: K8sIdentity = { mode: 'impersonate', username: 'dev-a', groups: ['team-a'] };
const call = async (identity: K8sIdentity) => (await clientFor(identity)).json({ path: '/api' });

describe('impersonation with the pod’s service-account token', () => {
  it('goes to K8S_API_SERVER with the token as bearer and the session’s user and groups, nothing else impersonated', async () => {
    await expect(call(devA)).rejects.toMatchObject({ code: 'api_unreachable' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toMatch(/^https:\/\/kubernetes\.default\.svc\/api/);
    const headers = Object.fromEntries(Object.entries(sent[0]!.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers.authorization).toBe('Bearer first-token');
    expect(Object.keys(headers).filter((k) => k.startsWith('impersonate-')).sort()).toEqual(['impersonate-group', 'impersonate-user']);
    expect(headers).toMatchObject({ 'impersonate-user': 'dev-a', 'impersonate-group': ['team-a'] });
  });

  it('reads the token again for the next client, so a rotated token is used', async () => {
    rotate('second-token');
    await expect(call(devA)).rejects.toMatchObject({ code: 'api_unreachable' });
    const auth = Object.entries(sent[0]!.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    expect(auth).toBe('Bearer second-token');
  });

  it('still makes no request for an identity that cannot be impersonated', async () => {
    await expect(call({ mode: 'impersonate', username: 'system:serviceaccount:portal:portal', groups: [] })).rejects.toMatchObject({ status: 403 });
    expect(sent).toHaveLength(0);
  });
});
