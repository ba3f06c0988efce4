import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { forbidden, notFound } from '@/lib/api/test-k8s';
import { DELETE } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
const logged: unknown[][] = [];
vi.mock('@/lib/log', async (original) => ({ ...(await original<typeof import('@/lib/log')>()), log: (...args: unknown[]) => void logged.push(args) }));

const json = (v: unknown) => JSON.stringify(v);
const detach = (iface: string, params = { namespace: 'team-a', name: 'vm1' }, headers = fromPortal) =>
  DELETE(portalRequest('DELETE', `/api/vms/${params.namespace}/${params.name}/interfaces/${encodeURIComponent(iface)}`, { headers }), routeParams({ ...params, interface: iface }));

const VM_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/vm1';
const VMI_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm1';

const vm = {
  metadata: { name: 'vm1', namespace: 'team-a', resourceVersion: '42' },
  spec: {
    template: {
      spec: {
        domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'lab', bridge: {} }, { name: 'fast', sriov: {} }] } },
        networks: [{ name: 'default', pod: {} }, { name: 'lab', multus: { networkName: 'lab' } }, { name: 'fast', multus: { networkName: 'fast' } }],
      },
    },
  },
};
const vmi = { metadata: { name: 'vm1', namespace: 'team-a' }, status: { phase: 'Running' } };

function cluster(running: boolean, patch: () => unknown = () => vm) {
  k8s.answer = (req) => {
    if (req.method === 'PATCH') return patch();
    if (req.path === VM_PATH) return vm;
    if (req.path === VMI_PATH && running) return vmi;
    throw notFound();
  };
}

beforeEach(() => {
  portalEnv();
  calls.length = 0;
  logged.length = 0;
  cluster(true);
});

describe('DELETE /api/vms/{ns}/{name}/interfaces/{interface}', () => {
  it.each(['a b', 'lab.1', 'x/y', '', 'a'.repeat(254)])('an interface name KubeVirt would not take (%j) is 400, and nothing is sent', async (name) => {
    const res = await detach(name);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
    expect(calls).toEqual([]);
  });

  it('a request from another site is refused before anything is sent', async () => {
    const res = await detach('lab', undefined, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('csrf');
    expect(calls).toEqual([]);
  });

  it('running: state: absent on the bridge interface, at the index tested with the resourceVersion', async () => {
    const res = await detach('lab');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, interface: 'lab', outcome: 'unplug' });
    expect(calls.at(-1)).toEqual({
      method: 'PATCH',
      path: VM_PATH,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/resourceVersion', value: '42' },
        { op: 'test', path: '/spec/template/spec/domain/devices/interfaces/1/name', value: 'lab' },
        { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/1/state', value: 'absent' },
      ],
      ctx: { verb: 'patch', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'vm1' },
    });
    expect(logged).toContainEqual(['info', 'vm interface detached', expect.objectContaining({ user: 'dev-a', namespace: 'team-a', name: 'vm1', interface: 'lab', outcome: 'unplug' })]);
  });

  it('stopped: the interface and its network are removed from the spec', async () => {
    cluster(false);
    const res = await detach('fast');
    expect(await res.json()).toEqual({ ok: true, interface: 'fast', outcome: 'remove' });
    expect(calls.at(-1)!.body).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'test', path: '/spec/template/spec/domain/devices/interfaces/2/name', value: 'fast' },
      { op: 'remove', path: '/spec/template/spec/domain/devices/interfaces/2' },
      { op: 'test', path: '/spec/template/spec/networks/2/name', value: 'fast' },
      { op: 'remove', path: '/spec/template/spec/networks/2' },
    ]);
  });

  it('refuses what KubeVirt refuses on a running VM (an SR-IOV or masquerade interface) with its reason, sending nothing', async () => {
    for (const [name, binding] of [['fast', 'sriov'], ['default', 'masquerade']]) {
      const res = await detach(name!);
      expect(res.status).toBe(409);
      const b = await res.json();
      expect(b.error).toMatchObject({ code: 'conflict', details: { refusal: { key: 'nic.reason.bridgeOnly', vars: { name, binding } } } });
      expect(b.error.message).toMatch(/only bridge interfaces/);
    }
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('an interface the VM does not have is 404', async () => {
    const res = await detach('blue');
    expect(res.status).toBe(404);
    expect((await res.json()).error.details.refusal.key).toBe('nic.reason.notDeclared');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('a viewer gets the API server\'s 403', async () => {
    cluster(true, () => {
      throw forbidden('User "viewer" cannot patch resource "virtualmachines"', { verb: 'patch', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'vm1' });
    });
    const res = await detach('lab');
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });
});
