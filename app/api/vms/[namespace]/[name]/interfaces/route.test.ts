import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { apiError, forbidden, notFound, type K8sCall } from '@/lib/api/test-k8s';
import { POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
const logged: unknown[][] = [];
vi.mock('@/lib/log', async (original) => ({ ...(await original<typeof import('@/lib/log')>()), log: (...args: unknown[]) => void logged.push(args) }));

const json = (v: unknown) => JSON.stringify(v);
const attach = (body?: BodyInit, params = { namespace: 'team-a', name: 'vm1' }) =>
  POST(portalRequest('POST', `/api/vms/${params.namespace}/${params.name}/interfaces`, { headers: fromPortal, body }), routeParams(params));

const VM_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/vm1';
const VMI_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm1';
const NAD_PATH = (ns: string, name: string) => `/apis/k8s.cni.cncf.io/v1/namespaces/${ns}/network-attachment-definitions/${name}`;

const vm = (rv = '42') => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'team-a', resourceVersion: rv },
  spec: {
    runStrategy: 'Always',
    template: { spec: { domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }] } }, networks: [{ name: 'default', pod: {} }] } },
  },
});
const vmi = { metadata: { name: 'vm1', namespace: 'team-a' }, status: { phase: 'Running', conditions: [{ type: 'LiveMigratable', status: 'True' }] } };
const nad = (name: string, type: string) => ({ metadata: { name, namespace: 'team-a' }, spec: { config: json({ cniVersion: '0.3.1', type, vlan: 101 }) } });
// What the API server says when a JSON patch's test op fails (apiserver's applyJSPatch).
const staleVersion = () =>
  apiError(422, 'the server rejected our request due to an error in our request', {
    reason: 'Invalid',
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: 'testing value /metadata/resourceVersion failed: test failed' }] },
  });

// A cluster with vm1 running, the lab (bridge) and fast (SR-IOV) NADs; `patch` answers the PATCH.
function cluster(patch: (req: K8sCall, n: number) => unknown = () => vm('43'), opts: { vmi?: unknown; vmRv?: () => string } = {}) {
  let patches = 0;
  k8s.answer = (req) => {
    if (req.method === 'PATCH') return patch(req, ++patches);
    if (req.path === VM_PATH) return vm(opts.vmRv?.() ?? '42');
    if (req.path === VMI_PATH) {
      if (opts.vmi === null) throw notFound();
      return opts.vmi ?? vmi;
    }
    if (req.path === NAD_PATH('team-a', 'lab')) return nad('lab', 'bridge');
    if (req.path === NAD_PATH('team-a', 'fast')) return nad('fast', 'sriov');
    throw notFound();
  };
}

const lab = { name: 'lab', source: { kind: 'multus', networkName: 'lab' }, binding: 'bridge' };

beforeEach(() => {
  portalEnv();
  calls.length = 0;
  logged.length = 0;
  cluster();
});

describe('POST /api/vms/{ns}/{name}/interfaces', () => {
  it.each([
    ['a broken body', '{"name":'],
    ['no body', undefined],
    ['an unknown field', json({ ...lab, state: 'absent' })],
    ['a name that is no DNS label', json({ ...lab, name: 'Lab_1' })],
    ['an unknown binding', json({ ...lab, binding: 'macvtap' })],
    ['a network name that is no NAD reference', json({ ...lab, source: { kind: 'multus', networkName: 'a/b/c' } })],
    ['an unknown source', json({ ...lab, source: { kind: 'host' } })],
  ])('%s is 400 in the one error shape, and nothing is sent upstream', async (_what, body) => {
    const res = await attach(body);
    expect(res.status).toBe(400);
    const b = await res.json();
    expect(b.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('a path segment that cannot be a Kubernetes name is 400', async () => {
    expect((await attach(json(lab), { namespace: 'Team_A', name: 'vm1' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('attaches a bridge NIC: the NAD, the VM and its VMI are read, then one JSON patch with the resourceVersion test', async () => {
    const res = await attach(json(lab));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, interface: 'lab', outcome: 'hotplug' });
    expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
      ['GET', NAD_PATH('team-a', 'lab')],
      ['GET', VM_PATH],
      ['GET', VMI_PATH],
      ['PATCH', VM_PATH],
    ]);
    expect(calls[3]).toEqual({
      method: 'PATCH',
      path: VM_PATH,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/resourceVersion', value: '42' },
        { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'lab', bridge: {} } },
        { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'lab', multus: { networkName: 'lab' } } },
      ],
      ctx: { verb: 'patch', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'vm1' },
    });
    expect(logged).toContainEqual([
      'info',
      'vm interface attached',
      expect.objectContaining({ user: 'dev-a', namespace: 'team-a', name: 'vm1', interface: 'lab', network: 'lab', binding: 'bridge', outcome: 'hotplug' }),
    ]);
  });

  it('an SR-IOV NIC on a running VM waits for a live migration; on a stopped one for its start', async () => {
    const fast = { name: 'fast', source: { kind: 'multus', networkName: 'fast' }, binding: 'sriov' };
    expect(await (await attach(json(fast))).json()).toMatchObject({ outcome: 'migration' });
    expect(calls.at(-1)!.body).toContainEqual({ op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'fast', sriov: {} } });
    cluster(undefined, { vmi: null });
    expect(await (await attach(json(fast))).json()).toMatchObject({ outcome: 'nextStart' });
  });

  it.each([
    ['masquerade on a NAD', { ...lab, binding: 'masquerade' }, 'networks.masqueradeSecondary', /Masquerade binding works only on the pod network/],
    ['a name the VM has', { ...lab, name: 'default' }, 'networks.duplicateName', /name of its own/],
    ['a second pod network', { name: 'pod2', source: { kind: 'pod' }, binding: 'masquerade' }, 'networks.podTwice', /Only one interface can use the pod network/],
    ['SR-IOV on a bridge NAD', { ...lab, binding: 'sriov' }, 'networks.sriovNeedsSriovNad', /type sriov; this one is bridge/],
    ['a NAD that does not exist', { ...lab, source: { kind: 'multus', networkName: 'blue' } }, 'nad.unknown', /not offered in the namespace/],
  ])('refuses %s before sending anything: 422 with KubeVirt\'s reason', async (_what, body, key, english) => {
    const res = await attach(json(body));
    expect(res.status).toBe(422);
    const b = await res.json();
    expect(b.error.code).toBe('invalid');
    expect(b.error.message).toMatch(english);
    expect(b.error.details.problems).toContainEqual(expect.objectContaining({ message: key }));
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('a NAD the user may not read is left to the API server', async () => {
    k8s.answer = (req) => {
      if (req.path.includes('network-attachment-definitions')) throw forbidden('network-attachment-definitions.k8s.cni.cncf.io "x" is forbidden: User "dev-a" cannot get resource');
      if (req.method === 'PATCH') return vm('43');
      return req.path === VM_PATH ? vm() : vmi;
    };
    expect((await attach(json({ ...lab, source: { kind: 'multus', networkName: 'infra/x' } }))).status).toBe(202);
    expect(calls[0]!.path).toBe(NAD_PATH('infra', 'x'));
  });

  it('a VM changed between the read and the patch is read again and patched from its new version', async () => {
    let rv = 41;
    cluster((_req, n) => {
      if (n === 1) throw staleVersion();
      return vm('50');
    }, { vmRv: () => String(++rv) });
    const res = await attach(json(lab));
    expect(res.status).toBe(202);
    const patches = calls.filter((c) => c.method === 'PATCH').map((c) => (c.body as { value?: unknown }[])[0]!.value);
    expect(patches).toEqual(['42', '43']);
  });

  it('a VM that keeps changing is a conflict after a few tries, not a lost update', async () => {
    cluster(() => {
      throw staleVersion();
    });
    const res = await attach(json(lab));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/kept changing/) });
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(3);
  });

  it('the API server\'s own refusal (KubeVirt\'s webhook) comes back with its words and causes', async () => {
    cluster(() => {
      throw apiError(422, 'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: Network interface name can only contain alphabetical characters, numbers, dashes (-) or underscores (_)', {
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueInvalid', message: 'Network interface name can only contain alphabetical characters, numbers, dashes (-) or underscores (_)', field: 'spec.template.spec.domain.devices.interfaces[1].name' }] },
      });
    });
    const res = await attach(json(lab));
    expect(res.status).toBe(422);
    const b = await res.json();
    expect(b.error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/denied the request/) });
    expect(b.error.details.causes[0]).toMatchObject({ field: 'spec.template.spec.domain.devices.interfaces[1].name' });
  });

  it('a user who may not patch VMs (a viewer) gets the API server\'s 403, said as the verb and resource', async () => {
    cluster(() => {
      throw forbidden('virtualmachines.kubevirt.io "vm1" is forbidden: User "viewer" cannot patch resource "virtualmachines" in API group "kubevirt.io" in the namespace "team-a"', {
        verb: 'patch',
        resource: 'virtualmachines.kubevirt.io',
        namespace: 'team-a',
        name: 'vm1',
      });
    });
    const res = await attach(json(lab));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', details: { verb: 'patch', resource: 'virtualmachines.kubevirt.io' } });
    expect(logged.some((l) => l[1] === 'vm interface attached')).toBe(false);
  });

  it('a VM that does not exist is 404', async () => {
    k8s.answer = (req) => {
      if (req.path.includes('network-attachment-definitions')) return nad('lab', 'bridge');
      throw notFound();
    };
    expect((await attach(json(lab))).status).toBe(404);
  });
});
