import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest } from '@/lib/api/test-requests';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { apiError, conflict } from '@/lib/api/test-k8s';
import { buildProjectManifests, manifestList } from '@/lib/admin/project-manifests';
import { projectForm } from '@/lib/admin/project-form';
import { GET, POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('admin'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
// The access reviews of the admin gate say yes to the users in `admins`, and are not among the calls.
let admins = new Set(['admin']);
k8s.allowed = (_attrs, username) => admins.has(username);

const json = (v: unknown) => JSON.stringify(v);
const post = (body: unknown) => POST(portalRequest('POST', '/api/admin/projects', { headers: fromPortal, body: typeof body === 'string' ? body : json(body) }), { params: Promise.resolve({}) });
const get = () => GET(portalRequest('GET', '/api/admin/projects'), { params: Promise.resolve({}) });

const form = {
  name: 'team-c',
  members: [{ kind: 'User', name: 'dev-b', role: 'edit' }],
  quota: { virtualMachines: 2 },
  podSecurity: 'privileged',
  network: { isolate: true, allowFrom: [], allowDnsEgress: false },
};
const expected = manifestList(buildProjectManifests(projectForm.parse(form)));

beforeEach(() => {
  portalEnv();
  k8s.reset();
  k8s.user = 'admin';
  admins = new Set(['admin']);
  forgetAccessReviews();
});

describe('GET /api/admin/projects', () => {
  it('a non-admin is refused with 403 before anything is listed', async () => {
    k8s.user = 'dev-a';
    const res = await get();
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', details: { verb: 'create', resource: 'namespaces' } });
    expect(calls).toEqual([]);
  });

  it('an admin gets the team namespaces, each with its quota, members and policies', async () => {
    k8s.answer = (req) => {
      if (req.path === '/api/v1/namespaces') return { items: [{ metadata: { name: 'team-a', labels: { 'portal.kubevirt.io/team': 'team-a' } }, status: { phase: 'Active' } }] };
      if (req.path === '/api/v1/resourcequotas') return { items: [{ metadata: { name: 'q', namespace: 'team-a' }, status: { hard: { pods: '2' }, used: { pods: '1' } } }, { metadata: { name: 'q', namespace: 'elsewhere' } }] };
      if (req.path.endsWith('/rolebindings')) {
        return { items: [{ metadata: { name: 'b', namespace: 'team-a' }, roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'team-a' }] }] };
      }
      return { items: [] };
    };
    const res = await get();
    expect(res.status).toBe(200);
    expect(calls.find((c) => c.path === '/api/v1/namespaces')?.query).toEqual({ labelSelector: 'portal.kubevirt.io/team' });
    const body = await res.json();
    expect(body.projects).toEqual([
      { name: 'team-a', phase: 'Active', quotas: [{ name: 'q', hard: { pods: '2' }, used: { pods: '1' } }], members: [{ kind: 'Group', name: 'team-a', roles: ['edit'], managed: false }], policies: [], limitRanges: [] },
    ]);
  });
});

describe('POST /api/admin/projects', () => {
  it('a body that is not a project form is 400 in the error shape, and nothing is sent', async () => {
    for (const body of ['{"form":', { form: { ...form, name: 'Team_C' } }, { form: { ...form, members: [{ kind: 'Robot', name: 'x', role: 'edit' }] } }, { form: { ...form, quota: { requestsCpu: 'lots' } } }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const e = (await res.json()).error;
      expect(e.code).toBe('bad_request');
      expect(typeof e.message).toBe('string');
    }
    expect(calls).toEqual([]);
  });

  it('a non-admin calling it directly is refused with 403, no namespace is made, and the attempt is logged', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    k8s.user = 'dev-a';
    const res = await post({ form });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect(calls).toEqual([]);
    const line = out.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.msg === 'change');
    expect(line).toMatchObject({ user: 'dev-a', action: 'project.create', name: 'team-c', result: 'refused', status: 403 });
    out.mockRestore();
  });

  it('creates the Namespace (dry run, then for real), then every object as a dry run, then each for real', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const res = await post({ form });
    expect(res.status).toBe(201);
    const sent = calls.map((c) => [c.method, c.path, c.query?.dryRun ?? '']);
    expect(sent).toEqual([
      ['POST', '/api/v1/namespaces', 'All'],
      ['POST', '/api/v1/namespaces', ''],
      ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings', 'All'],
      ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings', 'All'],
      ['POST', '/api/v1/namespaces/team-c/resourcequotas', 'All'],
      ['POST', '/apis/networking.k8s.io/v1/namespaces/team-c/networkpolicies', 'All'],
      ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings', ''],
      ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings', ''],
      ['POST', '/api/v1/namespaces/team-c/resourcequotas', ''],
      ['POST', '/apis/networking.k8s.io/v1/namespaces/team-c/networkpolicies', ''],
    ]);
    // The manifests sent are the ones the form shows and downloads.
    expect(calls.filter((c) => c.query?.dryRun === undefined).map((c) => c.body)).toEqual(expected);
    expect(calls[0]!.query).toMatchObject({ fieldManager: 'kubevirt-portal' });
    const body = await res.json();
    expect(body.objects.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`)).toEqual(expected.map((o) => `${o.kind}/${o.metadata.name}`));
    // The audit line: who, what, which object, the result.
    const line = out.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.msg === 'change');
    expect(line).toMatchObject({ user: 'admin', action: 'project.create', kind: 'Namespace', name: 'team-c', result: 'succeeded' });
    out.mockRestore();
  });

  it('a dry run only asks about the Namespace and returns the manifests', async () => {
    const res = await post({ form, dryRun: true });
    expect(res.status).toBe(200);
    expect(calls.map((c) => [c.method, c.path, c.query?.dryRun])).toEqual([['POST', '/api/v1/namespaces', 'All']]);
    expect((await res.json()).manifests).toEqual(expected);
  });

  it('a taken name is the API server\'s 409, and nothing is made', async () => {
    k8s.answer = () => {
      throw conflict('namespaces "team-c" already exists', 'AlreadyExists', { verb: 'create', resource: 'namespaces', name: 'team-c' });
    };
    const res = await post({ form });
    expect(res.status).toBe(409);
    const e = (await res.json()).error;
    expect(e).toMatchObject({ code: 'conflict', details: { upstreamReason: 'AlreadyExists', object: { kind: 'Namespace', name: 'team-c' } } });
    // Nothing had been made, so there is nothing to say about undoing it.
    expect(e.details.undone).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('a refusal of one object after the Namespace exists deletes the Namespace again and says which object', async () => {
    k8s.answer = (req) => {
      if (req.path.endsWith('/resourcequotas')) throw apiError(422, 'ResourceQuota "project-quota" is invalid', { reason: 'Invalid' }, req.ctx);
      return {};
    };
    const res = await post({ form });
    expect(res.status).toBe(422);
    const e = (await res.json()).error;
    expect(e).toMatchObject({ code: 'invalid', details: { object: { kind: 'ResourceQuota', name: 'project-quota', namespace: 'team-c' }, undone: true } });
    expect(calls.filter((c) => c.query?.dryRun === undefined).map((c) => [c.method, c.path])).toEqual([
      ['POST', '/api/v1/namespaces'],
      ['DELETE', '/api/v1/namespaces/team-c'],
    ]);
  });
});
