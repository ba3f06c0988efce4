// The portal in impersonation mode (PORTAL_AUTH_MODE=impersonate): it acts with a service account that may
// impersonate users and groups and nothing else, and every request names the signed-in user. The API server then
// decides as that user (RBAC and quota), and its audit log records the real user beside the portal's account — the
// same guarantee token mode gives (e2e/admin-projects.spec.ts reads the audit log there). The requests go through
// the portal's own client (lib/k8s/client.ts), the one door every route uses.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { paths } from '../../sandbox/launcher/paths.ts';
import { serviceAccountKubeconfig } from '../support/service-account.ts';
import { docExampleVm, eventually, kubectl, kubectlOk, uniqueName } from '../../sandbox/test/helpers.ts';

vi.mock('server-only', () => ({}));

const sa = uniqueName('portal-impersonator');
const saNs = 'default';
const vmB = uniqueName('imp-vm');
const vmA = uniqueName('imp-vm');
let dir: string;
const halted = (name: string, ns: string) => docExampleVm(name, ns, 'Halted');

interface AuditEvent {
  stage?: string;
  verb?: string;
  requestURI?: string;
  requestReceivedTimestamp?: string;
  user?: { username?: string };
  impersonatedUser?: { username?: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
}

// The VM creates the audit log holds (response stage, no dry runs), newest last.
const auditCreates = (): AuditEvent[] =>
  readFileSync(join(paths.logs, 'audit.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"virtualmachines"'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditEvent];
      } catch {
        return [];
      }
    })
    .filter((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.resource === 'virtualmachines' && !e.requestURI?.includes('dryRun'));

beforeAll(async () => {
  // The least RBAC impersonation mode needs: impersonate users and groups, nothing else.
  await kubectlOk(['create', '-f', '-'], {
    input: YAML.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: saNs } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: sa }, rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }] },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: sa },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sa },
          subjects: [{ kind: 'ServiceAccount', name: sa, namespace: saNs }],
        },
      ],
    }),
  });
  dir = mkdtempSync(join(tmpdir(), 'portal-impersonation-'));
  const kubeconfig = await serviceAccountKubeconfig(sa, saNs, dir);
  const { portalEnv } = await import('../../lib/api/test-requests.ts');
  portalEnv({ PORTAL_AUTH_MODE: 'impersonate', PORTAL_KUBECONFIG: kubeconfig });
});

afterAll(async () => {
  await kubectl(['delete', 'vm', vmB, '-n', 'team-b', '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', 'vm', vmA, '-n', 'team-a', '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', 'clusterrolebinding,clusterrole', sa, '--ignore-not-found']);
  await kubectl(['delete', 'serviceaccount', sa, '-n', saNs, '--ignore-not-found']);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('impersonation mode', () => {
  it('acts as the signed-in user: dev-b creates in team-b, is refused in team-a, and the audit log names dev-b', async () => {
    const { clientFor } = await import('../../lib/k8s/client.ts');
    const started = new Date(Date.now() - 1000).toISOString();
    const devB = await clientFor({ mode: 'impersonate', username: 'dev-b', groups: ['team-b'] });
    const created = await devB.json<{ metadata: { name: string } }>({
      method: 'POST',
      path: '/apis/kubevirt.io/v1/namespaces/team-b/virtualmachines',
      body: halted(vmB, 'team-b'),
    });
    expect(created.metadata.name).toBe(vmB);

    // The portal's account may impersonate anyone, but what dev-b may not do, the portal does not do for dev-b.
    await expect(
      devB.json({ method: 'POST', path: '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines', body: halted(vmA, 'team-a') }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await kubectl(['get', 'vm', vmA, '-n', 'team-a'])).status).not.toBe(0);

    const made = await eventually('the audit event of the create', async () => auditCreates().find((e) => e.objectRef?.name === vmB && e.responseStatus?.code === 201), 15_000, 250);
    expect(made.user?.username).toBe(`system:serviceaccount:${saNs}:${sa}`);
    expect(made.impersonatedUser).toMatchObject({ username: 'dev-b', groups: expect.arrayContaining(['team-b']) });
    // Refused before its body is read, the event has no object name: it is this test's by namespace, time and user.
    const refused = await eventually('the audit event of the refusal', async () =>
      auditCreates().find((e) => e.objectRef?.namespace === 'team-a' && e.responseStatus?.code === 403 && e.user?.username === made.user?.username && (e.requestReceivedTimestamp ?? '') >= started),
    15_000, 250);
    expect(refused.impersonatedUser?.username).toBe('dev-b');
  });

  it('has no identity of its own: a request with no user to impersonate is never made', async () => {
    const { clientFor } = await import('../../lib/k8s/client.ts');
    await expect(clientFor({ mode: 'impersonate', username: '', groups: [] })).rejects.toThrow();
  });
});
