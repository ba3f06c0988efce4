import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { apiError, forbidden, type K8sCall } from '@/lib/api/test-k8s';
import { GET, POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const VM_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/vm';
const vm = (rv = '42') => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm', namespace: 'team-a', resourceVersion: rv, labels: { 'kubevirt.io/os': 'linux', team: 'a' } },
  spec: { runStrategy: 'Always', template: { spec: { domain: { cpu: { cores: 1 }, devices: {}, resources: { requests: { memory: '128Mi' } } } } } },
});
// GET answers with the VM; PATCH with the VM after it (a new resourceVersion).
const apiServer = (current = vm()) => (req: K8sCall) => (req.method === 'PATCH' ? { ...current, metadata: { ...current.metadata, resourceVersion: '43' } } : current);

const json = (v: unknown) => JSON.stringify(v);
const edit = (body?: BodyInit, params = { namespace: 'team-a', name: 'vm' }) =>
  POST(portalRequest('POST', `/api/vms/${params.namespace}/${params.name}/edit`, { headers: fromPortal, body }), routeParams(params));

let logged: string[] = [];
const changes = () => logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'change');
beforeEach(() => {
  portalEnv();
  calls.length = 0;
  k8s.answer = apiServer();
  logged = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('POST /api/vms/{ns}/{name}/edit', () => {
  it('sends one JSON patch: the resourceVersion test, then only the changed fields, as the user', async () => {
    const res = await edit(json({ resourceVersion: '42', labels: { team: 'b', 'example.com/tier': 'web' }, size: { kind: 'custom', cpu: 1, memory: '160Mi' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, changes: ['editMetadata', 'editSize'], resourceVersion: '43' });
    expect(calls).toEqual([
      { path: VM_PATH, ctx: { verb: 'get', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'vm' } },
      {
        method: 'PATCH',
        path: VM_PATH,
        contentType: 'application/json-patch+json',
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: '42' },
          { op: 'replace', path: '/metadata/labels/team', value: 'b' },
          { op: 'add', path: '/metadata/labels/example.com~1tier', value: 'web' },
          { op: 'replace', path: '/spec/template/spec/domain/resources/requests/memory', value: '160Mi' },
        ],
        ctx: { verb: 'patch', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'vm' },
      },
    ]);
    // One change line per edit, with what was patched and no values.
    const lines = changes();
    expect(lines.map((l) => [l.action, l.result, l.user, l.kind, l.namespace, l.name])).toEqual([
      ['vm.editMetadata', 'succeeded', 'dev-a', 'VirtualMachine', 'team-a', 'vm'],
      ['vm.editSize', 'succeeded', 'dev-a', 'VirtualMachine', 'team-a', 'vm'],
    ]);
    expect(lines[0]!.paths).toBe('/metadata/labels/team /metadata/labels/example.com~1tier');
    expect(logged.join('')).not.toContain('web');
  });

  it('nothing changed: no patch, and the version as it is', async () => {
    const res = await edit(json({ resourceVersion: '42', runStrategy: 'Always' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, changes: [], resourceVersion: '42' });
    expect(calls.map((c) => c.method ?? 'GET')).toEqual(['GET']);
  });

  it.each([
    ['a broken body', '{"resourceVersion":'],
    ['no body', undefined],
    ['no section', json({ resourceVersion: '42' })],
    ['no resourceVersion', json({ runStrategy: 'Manual' })],
    ['an unknown field', json({ resourceVersion: '42', runStrategy: 'Manual', spec: {} })],
    ['an unknown run strategy', json({ resourceVersion: '42', runStrategy: 'Sometimes' })],
    ['an invalid label key', json({ resourceVersion: '42', labels: { 'bad key!': 'x' } })],
    ['an invalid label value', json({ resourceVersion: '42', labels: { ok: 'not ok' } })],
    ['a KubeVirt key', json({ resourceVersion: '42', labels: { 'kubevirt.io/os': 'windows' } })],
    ['too many vCPUs', json({ resourceVersion: '42', size: { kind: 'custom', cpu: 1000, memory: '1Gi' } })],
    ['a memory that is no size', json({ resourceVersion: '42', size: { kind: 'custom', cpu: 1, memory: 'lots' } })],
  ])('%s is 400 in the error shape, and nothing is sent upstream', async (_what, body) => {
    const res = await edit(body);
    expect(res.status).toBe(400);
    const b = await res.json();
    expect(b.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('names the key and the rule it breaks', async () => {
    const b = await (await edit(json({ resourceVersion: '42', labels: { 'a/b/c': 'x' } }))).json();
    expect(b.error.details.issues).toEqual([{ path: 'labels.a/b/c', message: 'edit.error.key.slashes' }]);
  });

  it('a path segment that cannot be a name is 400', async () => {
    expect((await edit(json({ resourceVersion: '42', runStrategy: 'Manual' }), { namespace: 'Team_A', name: 'vm' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('a form based on an older version is 409 stale, and nothing is patched', async () => {
    k8s.answer = apiServer(vm('50'));
    const res = await edit(json({ resourceVersion: '42', runStrategy: 'Manual' }));
    expect(res.status).toBe(409);
    const b = await res.json();
    expect(b.error).toMatchObject({ code: 'conflict', details: { stale: true, resourceVersion: '42', currentResourceVersion: '50' } });
    expect(b.error.message).toContain('nothing was saved');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    expect(changes().map((l) => [l.action, l.result, l.status])).toEqual([['vm.editRunStrategy', 'refused', 409]]);
  });

  it('a change between the read and the patch (the API server\'s failed test) is the same 409', async () => {
    k8s.answer = (req) => {
      if (req.method !== 'PATCH') return vm();
      throw apiError(422, 'the server rejected our request due to an error in our request', { status: 'Failure', reason: 'Invalid' });
    };
    const res = await edit(json({ resourceVersion: '42', runStrategy: 'Manual' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', details: { stale: true } });
  });

  it('KubeVirt\'s admission refusal stays a 422 with its words', async () => {
    k8s.answer = (req) => {
      if (req.method !== 'PATCH') return vm();
      throw apiError(422, 'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: Cannot update VM spec until snapshot "s1" completes', {
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueNotSupported', message: 'Cannot update VM spec until snapshot "s1" completes', field: 'spec' }] },
      });
    };
    const res = await edit(json({ resourceVersion: '42', runStrategy: 'Manual' }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('Cannot update VM spec until snapshot');
  });

  it('a request that does not fit the VM (a custom size for an instance type VM) is 400 before any patch', async () => {
    k8s.answer = apiServer({ ...vm(), spec: { ...vm().spec, instancetype: { name: 'u1.nano' } } } as ReturnType<typeof vm>);
    const res = await edit(json({ resourceVersion: '42', size: { kind: 'custom', cpu: 2, memory: '1Gi' } }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.issues).toEqual([{ path: 'size', message: 'edit.error.size.hasInstancetype', vars: { name: 'u1.nano' } }]);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('a user who may not patch gets the API server\'s 403 as such', async () => {
    k8s.answer = (req) => {
      if (req.method !== 'PATCH') return vm();
      throw forbidden('virtualmachines.kubevirt.io "vm" is forbidden: User "viewer" cannot patch resource "virtualmachines" in API group "kubevirt.io" in the namespace "team-a"', req.ctx);
    };
    const res = await edit(json({ resourceVersion: '42', runStrategy: 'Manual' }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', details: { verb: 'patch', resource: 'virtualmachines.kubevirt.io' } });
  });

  it('a request from another site is refused before anything is read', async () => {
    const res = await POST(portalRequest('POST', '/api/vms/team-a/vm/edit', { headers: { origin: 'http://evil.example' }, body: json({ resourceVersion: '42', runStrategy: 'Manual' }) }), routeParams({ namespace: 'team-a', name: 'vm' }));
    expect(res.status).toBe(403);
    expect(calls).toEqual([]);
  });
});

describe('GET /api/vms/{ns}/{name}/edit', () => {
  it('offers the cluster\'s instance types, or says they may not be read', async () => {
    k8s.answer = () => ({ items: [{ metadata: { name: 'u1.small' }, spec: { cpu: { guest: 1 }, memory: { guest: '2Gi' } } }] });
    const get = () => GET(portalRequest('GET', '/api/vms/team-a/vm/edit'), routeParams({ namespace: 'team-a', name: 'vm' }));
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instancetypes: [{ name: 'u1.small', series: 'u1', size: 'small', cpu: 1, memory: '2Gi' }], unavailable: false });
    expect(calls[0]!.path).toBe('/apis/instancetype.kubevirt.io/v1beta1/virtualmachineclusterinstancetypes');
    k8s.answer = () => {
      throw apiError(403, 'forbidden');
    };
    expect(await (await get()).json()).toEqual({ instancetypes: [], unavailable: true });
  });
});
