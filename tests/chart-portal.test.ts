// Acceptance of the chart on a cluster: the portal started with exactly the settings the chart renders (its
// ConfigMap and Secrets; file paths of the pod translated to local files) in impersonation mode, acting with the
// chart's own ServiceAccount and RBAC really applied to the sandbox and that account's token, signs dev-a in through
// Chromium and lists team-a's VMs as kubectl sees them, while team-b answers 403: the portal impersonates the user and
// never lends its account's rights (which are impersonation alone). Needs the sandbox up, a production build in .next
// (npm run build) and the port the sandbox's Dex redirects to (PORTAL_E2E_PORT, default 3000) free.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalCookie, portFree } from '../bench/support.ts';
import { oidcClient } from '../sandbox/launcher/users.ts';
import { paths, urls } from '../sandbox/launcher/paths.ts';
import { docExampleVm, eventually, kubectl, kubectlOk, uniqueName } from '../sandbox/test/helpers.ts';
import { one, render, type K8sObject } from './support/chart';
import { repoRoot } from './support/dockerfile';

const port = Number(process.env.PORTAL_E2E_PORT ?? 3000);
const offset = Number(process.env.SANDBOX_PORT_OFFSET ?? 0);
const publicUrl = `http://localhost:${port}`;
const namespace = uniqueName('portal-chart');
const release = 'acceptance';
const work = mkdtempSync(join(tmpdir(), 'portal-chart-'));
const vm = uniqueName('chart-vm');

// What the pod would find at these paths, here as local files.
const local = {
  '/var/run/secrets/kubernetes.io/serviceaccount/token': join(work, 'token'),
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt': join(work, 'ca.crt'),
  '/etc/kubevirt-portal/oidc-ca/ca.crt': join(work, 'oidc-ca.crt'),
  '/var/lib/kubevirt-portal': join(work, 'state'),
} as Record<string, string>;

const sandboxCa = readFileSync(join(paths.pki, 'ca.crt'), 'utf8');
const { objects } = render(
  {
    publicUrl,
    auth: { mode: 'impersonate' },
    cluster: { apiServer: urls.apiserver, namespaces: ['team-a', 'team-b'] },
    oidc: { issuer: urls.dexIssuer, clientId: oidcClient.id, clientSecret: oidcClient.secret, caBundle: sandboxCa, browserProxy: true },
    session: { secret: `acceptance-${Math.random().toString(36).slice(2)}-${Date.now()}` },
    metrics: { port: 9464 + offset },
  },
  { namespace, release },
);
// The cluster-side part of the chart: the portal's identity and what it may do.
const rbacKinds = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const rbac = objects.filter((o) => rbacKinds.includes(o.kind));
const list = (items: K8sObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

/** The container's environment as the kubelet would build it: the ConfigMap (envFrom), then the Secret references. */
function podEnvironment(): Record<string, string> {
  const deployment = one(objects, 'Deployment');
  const c = (deployment.spec as { template: { spec: { containers: { envFrom: { configMapRef: { name: string } }[]; env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] }[] } } }).template.spec.containers[0]!;
  const env: Record<string, string> = {};
  for (const from of c.envFrom) Object.assign(env, objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef.name)!.data);
  for (const e of c.env) {
    if (e.value !== undefined) env[e.name] = e.value;
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name)!.data as Record<string, string>;
      env[e.name] = Buffer.from(secret[ref.key]!, 'base64').toString('utf8');
    }
  }
  for (const [k, v] of Object.entries(env)) if (local[v]) env[k] = local[v];
  return env;
}

let portal: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  expect(existsSync(join(repoRoot, '.next/BUILD_ID')), 'a production build in .next (npm run build)').toBe(true);
  expect(await portFree(port), `port ${port} free (the only one the sandbox's Dex redirects to)`).toBe(true);
  await kubectlOk(['create', 'namespace', namespace]);
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: list(rbac) });
  await kubectlOk(['create', '-f', '-'], { input: JSON.stringify(docExampleVm(vm, 'team-a', 'Halted')) });

  const sa = one(objects, 'ServiceAccount').metadata.name;
  writeFileSync(local['/var/run/secrets/kubernetes.io/serviceaccount/token']!, (await kubectlOk(['create', 'token', sa, '-n', namespace])).trim());
  writeFileSync(local['/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']!, sandboxCa);
  const oidcCa = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-oidc-ca'))!.data as Record<string, string>;
  writeFileSync(local['/etc/kubevirt-portal/oidc-ca/ca.crt']!, oidcCa['ca.crt']!);
  mkdirSync(local['/var/lib/kubevirt-portal']!);

  // Nothing of this process's environment but PATH and HOME: no sandbox default may stand in for a missing setting.
  // PORT is the Service's job in a cluster; here the one port the sandbox's Dex redirects to.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, ...podEnvironment(), PORT: String(port) };
  expect(env).toMatchObject({ PORTAL_AUTH_MODE: 'impersonate', NODE_ENV: 'production', NEXTAUTH_URL: publicUrl });
  expect(env).not.toHaveProperty('PORTAL_SANDBOX');
  expect(env).not.toHaveProperty('PORTAL_KUBECONFIG');
  portal = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  portal.stdout!.on('data', (d) => (output += d));
  portal.stderr!.on('data', (d) => (output += d));
  await eventually(
    'the portal to be ready',
    async () => {
      if (portal!.exitCode !== null) throw new Error(`the portal exited (${portal!.exitCode}):\n${output.slice(-3000)}`);
      const r = await fetch(`${publicUrl}/readyz`).catch(() => undefined);
      return r?.ok;
    },
    120_000,
    500,
  );
}, 300_000);

afterAll(async () => {
  if (portal?.pid && portal.exitCode === null) {
    const exited = new Promise((r) => portal!.once('exit', r));
    process.kill(-portal.pid, 'SIGTERM');
    await exited;
  }
  await kubectl(['delete', 'vm', vm, '-n', 'team-a', '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false'], { input: list(rbac.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.kind.startsWith('Cluster') ? undefined : namespace } }) as K8sObject)) });
  await kubectl(['delete', 'namespace', namespace, '--wait=false']);
  rmSync(work, { recursive: true, force: true });
}, 60_000);

interface AuditEvent {
  stage?: string;
  verb?: string;
  user?: { username?: string };
  impersonatedUser?: { username?: string; groups?: string[] };
  responseStatus?: { code?: number };
}

const vmNames = (body: { lists: Record<string, { items?: { metadata: { name: string } }[] }> }) =>
  Object.values(body.lists)
    .flatMap((l) => l.items ?? [])
    .map((i) => i.metadata.name)
    .sort();

describe('the portal from the chart’s settings, impersonating with the chart’s service account', () => {
  it('acts with a service account that may impersonate and nothing else', async () => {
    const sa = `system:serviceaccount:${namespace}:${one(objects, 'ServiceAccount').metadata.name}`;
    expect((await kubectl(['auth', 'can-i', 'impersonate', 'users', '--as', sa])).stdout.trim()).toBe('yes');
    expect((await kubectl(['auth', 'can-i', 'list', 'virtualmachines.kubevirt.io', '-n', 'team-a', '--as', sa])).stdout.trim()).toBe('no');
  });

  it('signs dev-a in and lists team-a’s VMs as kubectl does, and answers 403 in team-b', async () => {
    const cookie = await portalCookie(publicUrl, 'dev-a');
    const expected = JSON.parse(await kubectlOk(['get', 'virtualmachines.kubevirt.io', '-n', 'team-a', '-o', 'json'])) as { items: { metadata: { name: string } }[] };
    const names = expected.items.map((i) => i.metadata.name).sort();
    expect(names).toContain(vm);

    const a = await fetch(`${publicUrl}/api/list?resource=virtualmachines&namespace=team-a`, { headers: { cookie } });
    expect(a.status, await a.clone().text()).toBe(200);
    expect(vmNames(await a.json())).toEqual(names);

    const b = await fetch(`${publicUrl}/api/list?resource=virtualmachines&namespace=team-b`, { headers: { cookie } });
    expect(b.status).toBe(403);
    expect(await b.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });

    // The API server's audit log: both lists were made by the chart's service account, as dev-a, and decided so.
    const sa = `system:serviceaccount:${namespace}:${one(objects, 'ServiceAccount').metadata.name}`;
    const decided = (ns: string) =>
      eventually(`the audit log to record the list in ${ns}`, async () =>
        readFileSync(join(paths.logs, 'audit.log'), 'utf8')
          .split('\n')
          .filter((l) => l.includes(sa) && l.includes(`/namespaces/${ns}/virtualmachines`))
          .map((l) => JSON.parse(l) as AuditEvent)
          .find((e) => e.stage === 'ResponseComplete' && e.verb === 'list' && e.user?.username === sa)
      );
    const listA = await decided('team-a');
    expect(listA.impersonatedUser).toMatchObject({ username: 'dev-a', groups: expect.arrayContaining(['team-a']) });
    expect(listA.responseStatus?.code ?? 200).toBe(200);
    const listB = await decided('team-b');
    expect(listB.impersonatedUser?.username).toBe('dev-a');
    expect(listB.responseStatus?.code).toBe(403);
  }, 180_000);
});
