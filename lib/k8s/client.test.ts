import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { K8sIdentity } from './identity';

vi.mock('server-only', () => ({}));

// Every request the client would send upstream goes through this fake, which refuses the connection.
const sent = vi.hoisted(() => [] as { headers: Record<string, unknown> }[]);
vi.mock('node:https', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:https')>();
  const request = (_url: URL, opts: { headers: Record<string, unknown> }) => {
    sent.push({ headers: opts.headers });
    const r = Object.assign(new EventEmitter(), {
      end: () => queueMicrotask(() => r.emit('error', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))),
      destroy: () => {},
    });
    return r;
  };
  return { ...actual, default: { ...actual, request }, request };
});

const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:9', insecure-skip-tls-verify: true } }]
users: [{ name: portal, user: { token: portal-token } }]
contexts: [{ name: portal, context: { cluster: c, user: portal } }]
current-context: portal
`;

// The settings are read when the client module loads (its limits), so the environment is set before the import.
const saved = { ...process.env };
const file = join(mkdtempSync(join(tmpdir(), 'portal-client-test-')), 'kubeconfig');
writeFileSync(file, kubeconfig);
Object.assign(process.env, { PORTAL_SANDBOX: 'false', PORTAL_AUTH_MODE: 'impersonate', K8S_API_SERVER: 'https://127.0.0.1:9', PORTAL_KUBECONFIG: file, OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' });
const { resetSettings } = await import('../settings');
resetSettings();
const { clientFor } = await import('./client');
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetSettings();
});
beforeEach(() => void sent.splice(0));

const call = async (identity: K8sIdentity) => (await clientFor(identity)).json({ path: '/api' });

describe('impersonating client', () => {
  it('sends the session’s user and groups', async () => {
    await expect(call({ mode: 'impersonate', username: 'dev-a', groups: ['team-a'] })).rejects.toMatchObject({ code: 'api_unreachable' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers).toMatchObject({ 'Impersonate-User': 'dev-a', 'Impersonate-Group': ['team-a'] });
  });

  it.each([
    ['an empty user', { username: '', groups: ['team-a'] }],
    ['a blank user', { username: '  ', groups: [] }],
    ['a missing user', { username: undefined as unknown as string, groups: [] }],
    ['a system: user', { username: 'system:admin', groups: [] }],
    ['a system: service account', { username: 'system:serviceaccount:kube-system:default', groups: [] }],
    ['a system: group', { username: 'dev-a', groups: ['team-a', 'system:masters'] }],
    ['an empty group', { username: 'dev-a', groups: [''] }],
  ])('makes no request at all for %s', async (_what, who) => {
    await expect(call({ mode: 'impersonate', ...who })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(sent).toHaveLength(0);
  });
});
