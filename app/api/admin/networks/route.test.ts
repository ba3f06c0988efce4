import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { forbidden } from '@/lib/api/test-k8s';
import { POST } from './route';
import { DELETE } from './[namespace]/[name]/route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('admin'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
// Access reviews answer from k8s.allowed (by verb and namespace), and say why not; everything else from k8s.answer.
k8s.denial = 'no RBAC rule';
const NADS = '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions';

const lab = {
  metadata: { namespace: 'team-a', name: 'lab' },
  spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: 'lab', type: 'bridge', bridge: 'br-lab', vlan: 101, ipam: { type: 'whereabouts', range: '10.101.0.0/24' } }) },
};
const nad = (over: Record<string, unknown> = {}, ipam: Record<string, unknown> = {}) => ({
  namespace: 'team-b',
  name: 'storage',
  kind: 'bridge',
  bridge: 'br-lab',
  vlan: '300',
  ...over,
  ipam: { kind: 'whereabouts', subnet: '10.30.0.0/24', ...ipam },
});
const post = (body: unknown) => POST(portalRequest('POST', '/api/admin/networks', { headers: fromPortal, body: typeof body === 'string' ? body : JSON.stringify(body) }), routeParams({}));
const del = (namespace: string, name: string) => DELETE(portalRequest('DELETE', `/api/admin/networks/${namespace}/${name}`, { headers: fromPortal }), routeParams({ namespace, name }));

beforeEach(() => {
  portalEnv();
  k8s.reset();
  (globalThis as { __portalAccessCache?: Map<string, unknown> }).__portalAccessCache?.clear();
  k8s.allowed = () => true;
  k8s.answer = (req) => (req.method === 'POST' ? req.body : { items: [lab] });
});

describe('POST /api/admin/networks', () => {
  it('creates the NAD the form built, after listing the NADs the user can see', async () => {
    const res = await post({ nad: nad() });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ namespace: 'team-b', name: 'storage' });
    expect(JSON.parse(created.config)).toEqual({ cniVersion: '0.3.1', name: 'storage', type: 'bridge', bridge: 'br-lab', vlan: 300, ipam: { type: 'whereabouts', range: '10.30.0.0/24' } });
    expect(calls.map((c) => `${c.method ?? 'GET'} ${c.path}`)).toEqual([`GET ${NADS}`, 'POST /apis/k8s.cni.cncf.io/v1/namespaces/team-b/network-attachment-definitions']);
    expect(calls[1]!.body).toMatchObject({ kind: 'NetworkAttachmentDefinition', metadata: { name: 'storage', namespace: 'team-b' } });
    // The gate: create NADs in all namespaces (no namespace in the review).
    expect(k8s.reviews[0]).toEqual({ verb: 'create', group: 'k8s.cni.cncf.io', resource: 'network-attachment-definitions' });
  });

  it('refuses a VLAN of 4095 with 400 and the reason, and saves nothing', async () => {
    const res = await post({ nad: nad({ vlan: 4095 }) });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'invalid', message: 'The VLAN ID must be a whole number from 1 to 4094.' });
    expect(error.details.problems).toEqual([{ field: 'vlan', key: 'vlan.range', params: { min: 1, max: 4094 } }]);
    expect(calls).toEqual([]);
  });

  it('refuses a range outside the subnet', async () => {
    const res = await post({ nad: nad({}, { rangeStart: '10.30.1.1' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('The range start is outside the subnet 10.30.0.0/24: it must be from 10.30.0.1 to 10.30.0.254.');
    expect(calls).toEqual([]);
  });

  it('refuses an overlap with a NAD of another namespace on the same bridge and VLAN, and creates nothing', async () => {
    const res = await post({ nad: nad({ vlan: 101 }, { subnet: '10.101.0.0/24', rangeStart: '10.101.0.100', rangeEnd: '10.101.0.120' }) });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.message).toContain('overlaps 10.101.0.1-10.101.0.254 of network team-a/lab');
    expect(error.details.problems[0]).toMatchObject({ key: 'range.overlap', params: { namespace: 'team-a', name: 'lab' } });
    expect(calls.map((c) => c.method ?? 'GET')).toEqual(['GET']);
  });

  it('says a taken name is a conflict', async () => {
    const res = await post({ nad: nad({ namespace: 'team-a', name: 'lab', vlan: 999 }) });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
  });

  it('checks against each namespace the user may list NADs in when not cluster-wide', async () => {
    k8s.allowed = (a) => a.verb === 'create' || (a.verb === 'list' && a.resource === 'virtualmachines') || (a.verb === 'list' && a.resource === 'namespaces') || (a.verb === 'list' && a.namespace === 'team-a');
    (globalThis as { __portalNsCache?: Map<string, unknown> }).__portalNsCache?.clear();
    k8s.answer = (req) => {
      if (req.method === 'POST') return req.body;
      if (req.path === '/api/v1/namespaces') return { items: [{ metadata: { name: 'team-a' } }, { metadata: { name: 'team-b' } }] };
      if (req.path === '/apis/k8s.cni.cncf.io/v1/namespaces/team-a/network-attachment-definitions') return { items: [lab] };
      throw new Error(`unexpected ${req.path}`);
    };
    const res = await post({ nad: nad({ vlan: 101 }, { subnet: '10.101.0.0/25' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.problems[0].key).toBe('range.overlap');
  });

  it('is 403 for a user who may not create NADs in all namespaces, before reading the body', async () => {
    k8s.allowed = () => false;
    const res = await post('{not json');
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({
      code: 'forbidden',
      message: 'Not allowed to create network-attachment-definitions.k8s.cni.cncf.io in all namespaces.',
      details: { verb: 'create', resource: 'network-attachment-definitions.k8s.cni.cncf.io', reason: 'no RBAC rule' },
    });
    expect(calls).toEqual([]);
  });

  it('a body with fields it does not know is 400', async () => {
    expect((await post({ nad: { ...nad(), config: '{}' } })).status).toBe(400);
    expect((await post({ nad: nad(), extra: true })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('passes the API server\'s refusal of the create on', async () => {
    k8s.answer = (req) => {
      if (req.method === 'POST') throw forbidden('network-attachment-definitions.k8s.cni.cncf.io is forbidden: User "x" cannot create resource "network-attachment-definitions" in API group "k8s.cni.cncf.io" in the namespace "team-b"', req.ctx);
      return { items: [] };
    };
    const res = await post({ nad: nad() });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe('Not allowed to create network-attachment-definitions.k8s.cni.cncf.io "storage" in namespace "team-b".');
  });
});

describe('DELETE /api/admin/networks/{ns}/{name}', () => {
  it('deletes as the user', async () => {
    const res = await del('team-a', 'lab');
    expect(res.status).toBe(200);
    expect(calls).toEqual([expect.objectContaining({ method: 'DELETE', path: '/apis/k8s.cni.cncf.io/v1/namespaces/team-a/network-attachment-definitions/lab' })]);
  });

  it('is 403 without the admin gate, and 400 for a name that cannot be one', async () => {
    expect((await del('team-a', 'Not_A_Name')).status).toBe(400);
    k8s.allowed = () => false;
    expect((await del('team-a', 'lab')).status).toBe(403);
    expect(calls).toEqual([]);
  });
});
