import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { forbidden, notFound, type K8sCall } from '@/lib/api/test-k8s';
import { POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const json = (v: unknown) => JSON.stringify(v);
const NS = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines';
const SNAPS = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshots';
const CLONES = '/apis/clone.kubevirt.io/v1beta1/namespaces/team-a/virtualmachineclones';
const clone = (body?: BodyInit) => POST(portalRequest('POST', '/api/vms/team-a/vm-1/clones', { headers: fromPortal, body }), routeParams({ namespace: 'team-a', name: 'vm-1' }));

// The source VM and snapshot s1 exist; any other VM does not.
function cluster(over: (req: K8sCall) => unknown = () => undefined) {
  return (req: K8sCall) => {
    const o = over(req);
    if (o !== undefined) return typeof o === 'function' ? (o as () => unknown)() : o;
    if (req.method === undefined && req.path === `${NS}/vm-1`) return { metadata: { name: 'vm-1' } };
    if (req.method === undefined && req.path === `${SNAPS}/s1`) {
      return { metadata: { name: 's1' }, spec: { source: { kind: 'VirtualMachine', name: 'vm-1' } }, status: { phase: 'Succeeded', readyToUse: true } };
    }
    if (req.method === undefined) throw notFound();
    return {};
  };
}

beforeEach(() => {
  portalEnv();
  k8s.reset();
});

describe('POST /api/vms/{ns}/{name}/clones', () => {
  it.each([
    ['a broken body', '{"target"'],
    ['no target', json({})],
    ['a target with capitals', json({ target: 'Copy' })],
    ['a target with a dot (not a DNS-1123 label)', json({ target: 'a.b' })],
    ['a target too long', json({ target: 'x'.repeat(64) })],
    ['the source\'s own name', json({ target: 'vm-1' })],
    ['a snapshot that cannot be a name', json({ target: 'copy', snapshot: 'a/b' })],
    ['an unknown field', json({ target: 'copy', newMacAddresses: {} })],
  ])('%s is 400 in the error shape, and nothing is sent upstream', async (_what, body) => {
    const res = await clone(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('from the VM: checks the source and that the name is free, then sends the clone', async () => {
    k8s.answer = cluster();
    const res = await clone(json({ target: 'copy' }));
    expect(res.status).toBe(201);
    const b = await res.json();
    expect(b.target).toBe('copy');
    expect(b.clone).toMatch(/^copy-clone-[a-z0-9]{5}$/);
    expect(calls.map((c) => `${c.method ?? 'GET'} ${c.path}`)).toEqual([`GET ${NS}/vm-1`, `GET ${NS}/copy`, `POST ${CLONES}`]);
    expect(calls[2]).toMatchObject({
      body: {
        apiVersion: 'clone.kubevirt.io/v1beta1',
        kind: 'VirtualMachineClone',
        metadata: { name: b.clone, namespace: 'team-a' },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' } },
      },
      ctx: { verb: 'create', resource: 'virtualmachineclones.clone.kubevirt.io', namespace: 'team-a' },
    });
    // New MACs and serial are KubeVirt's default: nothing asks to keep the source's.
    expect((calls[2]!.body as { spec: object }).spec).not.toHaveProperty('newMacAddresses');
  });

  it('from one of the VM\'s snapshots', async () => {
    k8s.answer = cluster();
    expect((await clone(json({ target: 'copy', snapshot: 's1' }))).status).toBe(201);
    expect(calls.at(-1)?.body).toMatchObject({ spec: { source: { apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 's1' } } });
  });

  it('a name in use is a conflict said as "already exists", and nothing is sent', async () => {
    k8s.answer = cluster((req) => (req.path === `${NS}/copy` ? { metadata: { name: 'copy' } } : undefined));
    const res = await clone(json({ target: 'copy' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.details).toMatchObject({ upstreamReason: 'AlreadyExists', target: 'copy' });
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('another VM\'s snapshot is a conflict', async () => {
    k8s.answer = cluster((req) => (req.path === `${SNAPS}/s1` ? { metadata: { name: 's1' }, spec: { source: { kind: 'VirtualMachine', name: 'vm-2' } }, status: { phase: 'Succeeded', readyToUse: true } } : undefined));
    expect((await clone(json({ target: 'copy', snapshot: 's1' }))).status).toBe(409);
  });

  it('a viewer\'s clone is 403 from the API server', async () => {
    k8s.answer = cluster((req) =>
      req.method === 'POST'
        ? () => {
            throw forbidden('virtualmachineclones.clone.kubevirt.io is forbidden: User "viewer" cannot create resource', { verb: 'create', resource: 'virtualmachineclones.clone.kubevirt.io', namespace: 'team-a' });
          }
        : undefined,
    );
    const res = await clone(json({ target: 'copy' }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('Not allowed to create virtualmachineclones.clone.kubevirt.io');
  });
});
