import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { mapApiError } from '@/lib/k8s/errors';
import { apiError } from '@/lib/api/test-k8s';
import { DELETE, GET, PATCH } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('admin'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
// The access reviews of the admin gate say yes to admin only, and are not among the calls.
k8s.allowed = (_attrs, username) => username === 'admin';

const json = (v: unknown) => JSON.stringify(v);
const NS = '/api/v1/namespaces/team-c';
const RB = '/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings';
const RQ = '/api/v1/namespaces/team-c/resourcequotas';
const VMS = '/apis/kubevirt.io/v1/namespaces/team-c/virtualmachines';
const VMIS = '/apis/kubevirt.io/v1/namespaces/team-c/virtualmachineinstances';
const MANAGED = { 'app.kubernetes.io/managed-by': 'kubevirt-portal' };
const project = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c', labels: { 'portal.kubevirt.io/team': 'team-c' } }, status: { phase: 'Active' } };

const req = (method: string, namespace: string, body?: unknown) =>
  portalRequest(method, `/api/admin/projects/${namespace}`, { headers: method === 'GET' ? {} : fromPortal, body: body === undefined ? undefined : typeof body === 'string' ? body : json(body) });
const get = (ns = 'team-c') => GET(req('GET', ns), routeParams({ namespace: ns }));
const patch = (body: unknown, ns = 'team-c') => PATCH(req('PATCH', ns, body), routeParams({ namespace: ns }));
const del = (body: unknown, ns = 'team-c') => DELETE(req('DELETE', ns, body), routeParams({ namespace: ns }));
const real = () => calls.filter((c) => c.method && c.method !== 'GET' && c.query?.dryRun === undefined);

beforeEach(() => {
  portalEnv();
  k8s.reset();
  k8s.user = 'admin';
  k8s.answer = (r) => (r.path === NS ? project : r.method ? {} : { items: [] });
  forgetAccessReviews();
});

describe('GET /api/admin/projects/{namespace}', () => {
  it('a namespace name that cannot be one is 400; a non-admin is 403; a namespace that is no project is 404', async () => {
    expect((await get('Team_C')).status).toBe(400);
    k8s.user = 'dev-a';
    expect((await get()).status).toBe(403);
    k8s.user = 'admin';
    k8s.answer = (r) => (r.path === '/api/v1/namespaces/kube-system' ? { metadata: { name: 'kube-system' } } : { items: [] });
    const res = await get('kube-system');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('not a project');
  });

  it('reads the parts back for the edit forms and lists VMs and claims for the delete dialog', async () => {
    k8s.answer = (r) => {
      if (r.path === NS) return project;
      if (r.path === RQ) return { items: [{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'project-quota', namespace: 'team-c', labels: MANAGED }, spec: { hard: { 'count/virtualmachines.kubevirt.io': '2' } } }] };
      if (r.path === VMS) return { items: [{ metadata: { name: 'vm-2' }, status: { printableStatus: 'Running' } }, { metadata: { name: 'vm-1' } }] };
      if (r.path === '/api/v1/namespaces/team-c/persistentvolumeclaims') return { items: [{ metadata: { name: 'disk' }, spec: { resources: { requests: { storage: '1Gi' } } } }] };
      if (r.path.endsWith('/datavolumes')) throw mapApiError(404, 'the server could not find the requested resource');
      return { items: [] };
    };
    const res = await get();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.parts.quota).toEqual({ virtualMachines: 2 });
    expect(body.contents).toEqual({ vms: [{ name: 'vm-1' }, { name: 'vm-2', status: 'Running' }], claims: [{ kind: 'PersistentVolumeClaim', name: 'disk', size: '1Gi' }] });
    expect(body.manifests.map((m: { kind: string }) => m.kind)).toEqual(['Namespace', 'ResourceQuota']);
  });
});

describe('PATCH /api/admin/projects/{namespace}', () => {
  it('bad input is 400 and nothing is sent', async () => {
    for (const body of ['{', { part: 'quota', quota: { virtualMachines: 'three' } }, { part: 'everything' }, { part: 'podSecurity', podSecurity: 'none' }]) {
      const res = await patch(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
    expect(calls).toEqual([]);
  });

  it('a non-admin is refused with 403 and nothing is changed', async () => {
    k8s.user = 'dev-a';
    const res = await patch({ part: 'quota', quota: { virtualMachines: 3 } });
    expect(res.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('the quota: the portal\'s quota is replaced in place (dry run first), keeping others\' labels', async () => {
    k8s.answer = (r) => {
      if (r.path === NS) return project;
      if (r.path === RQ && !r.method) {
        return {
          items: [
            { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'project-quota', namespace: 'team-c', resourceVersion: '41', labels: { ...MANAGED, team: 'c' } }, spec: { hard: { 'count/virtualmachines.kubevirt.io': '2' } } },
            { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'someone-elses', namespace: 'team-c' }, spec: { hard: { pods: '1' } } },
          ],
        };
      }
      return {};
    };
    const res = await patch({ part: 'quota', quota: { virtualMachines: 3 } });
    expect(res.status).toBe(200);
    expect(calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.query?.dryRun])).toEqual([
      [`${RQ}/project-quota`, 'All'],
      [`${RQ}/project-quota`, undefined],
    ]);
    expect(real()[0]!.body).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'project-quota', namespace: 'team-c', resourceVersion: '41', labels: { ...MANAGED, team: 'c' } },
      spec: { hard: { 'count/virtualmachines.kubevirt.io': '3' } },
    });
    expect(await res.json()).toEqual({ dryRun: false, created: [], updated: [{ apiVersion: 'v1', kind: 'ResourceQuota', namespace: 'team-c', name: 'project-quota' }], deleted: [] });
  });

  it('members: new bindings are created and the portal\'s bindings no member holds any more are deleted; others\' stay', async () => {
    const binding = (name: string, role: string, managed: boolean) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: 'team-c', ...(managed ? { labels: MANAGED } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'User', name: 'x' }],
    });
    k8s.answer = (r) => {
      if (r.path === NS) return project;
      if (r.path === RB && !r.method) return { items: [binding('portal-view', 'view', true), binding('portal-kubevirt-view', 'kubevirt.io:view', true), binding('team-c-edit', 'edit', false)] };
      return {};
    };
    const res = await patch({ part: 'members', members: [{ kind: 'User', name: 'dev-b', role: 'edit' }] });
    expect(res.status).toBe(200);
    expect(real().map((c) => [c.method, c.path])).toEqual([
      ['POST', RB],
      ['POST', RB],
      ['DELETE', `${RB}/portal-view`],
      ['DELETE', `${RB}/portal-kubevirt-view`],
    ]);
    expect(real()[0]!.body).toMatchObject({ metadata: { name: 'portal-kubevirt-edit' }, roleRef: { name: 'kubevirt.io:edit' }, subjects: [{ kind: 'User', name: 'dev-b' }] });
  });

  it('a dry run refusal changes nothing; a refusal part-way undoes what was done', async () => {
    k8s.answer = (r) => {
      if (r.path === NS) return project;
      if (r.method === 'POST' && r.query?.dryRun) throw apiError(403, 'rolebindings.rbac.authorization.k8s.io "portal-kubevirt-admin" is forbidden: user "admin" is attempting to grant RBAC permissions not currently held', {}, r.ctx);
      return r.method ? {} : { items: [] };
    };
    let res = await patch({ part: 'members', members: [{ kind: 'User', name: 'dev-b', role: 'admin' }] });
    expect(res.status).toBe(403);
    expect(real()).toEqual([]);

    calls.length = 0;
    let made = 0;
    k8s.answer = (r) => {
      if (r.path === NS) return project;
      if (r.method === 'POST' && !r.query?.dryRun && ++made === 2) throw apiError(500, 'etcd timeout');
      return r.method ? { metadata: { resourceVersion: '7' } } : { items: [] };
    };
    res = await patch({ part: 'members', members: [{ kind: 'User', name: 'dev-b', role: 'admin' }] });
    expect(res.status).toBe(502);
    expect((await res.json()).error.details).toMatchObject({ undone: true, object: { name: 'portal-admin' } });
    expect(real().map((c) => [c.method, c.path])).toEqual([
      ['POST', RB],
      ['POST', RB],
      ['DELETE', `${RB}/portal-kubevirt-admin`],
    ]);
  });

  it('the Pod Security level is a merge patch of the namespace\'s label, dry run first', async () => {
    const res = await patch({ part: 'podSecurity', podSecurity: 'restricted' });
    expect(res.status).toBe(200);
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => [c.path, c.query?.dryRun])).toEqual([
      [NS, 'All'],
      [NS, undefined],
    ]);
    expect(patches[1]!.body).toEqual({ metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  });
});

describe('DELETE /api/admin/projects/{namespace}', () => {
  it('without the typed name, or with another, nothing is deleted (400)', async () => {
    for (const body of [undefined, {}, { confirm: 'team-a' }]) {
      const res = await del(body);
      expect(res.status).toBe(400);
    }
    expect(calls).toEqual([]);
  });

  it('a non-admin is refused with 403', async () => {
    k8s.user = 'dev-a';
    expect((await del({ confirm: 'team-c' })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('VMs first: while any is left the namespace stays', async () => {
    k8s.answer = (r) => {
      if (r.path === NS && !r.method) return project;
      if (r.path === VMS) return { items: [{ metadata: { name: 'vm-1' } }, { metadata: { name: 'vm-2', deletionTimestamp: '2026-01-01T00:00:00Z' } }] };
      if (r.path === VMIS) return { items: [{ metadata: { name: 'vm-1', ownerReferences: [{ kind: 'VirtualMachine' }] } }, { metadata: { name: 'lone' } }] };
      return {};
    };
    const res = await del({ confirm: 'team-c' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ state: 'vms', remainingVms: ['lone', 'vm-1', 'vm-2'], deleted: { vms: ['vm-1'], vmis: ['lone'], namespace: false } });
    expect(real().map((c) => [c.method, c.path])).toEqual([
      ['DELETE', `${VMS}/vm-1`],
      ['DELETE', `${VMIS}/lone`],
    ]);
  });

  it('with no VM left, the namespace is deleted; a namespace already going is left to go', async () => {
    let res = await del({ confirm: 'team-c' });
    expect(await res.json()).toMatchObject({ state: 'namespace', deleted: { namespace: true } });
    expect(real().map((c) => [c.method, c.path, (c.body as { propagationPolicy?: string }).propagationPolicy])).toEqual([['DELETE', NS, 'Background']]);

    calls.length = 0;
    k8s.answer = (r) => (r.path === NS ? { ...project, status: { phase: 'Terminating' } } : { items: [] });
    res = await del({ confirm: 'team-c' });
    expect(await res.json()).toMatchObject({ state: 'namespace', deleted: { namespace: false } });
    expect(real()).toEqual([]);
  });
});
