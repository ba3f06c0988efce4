import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { conflict, forbidden, notFound, type K8sCall } from '@/lib/api/test-k8s';
import { POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const json = (v: unknown) => JSON.stringify(v);
const NS = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines';
const SUB = '/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines';
const SNAPS = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshots';
const RESTORES = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinerestores';
const CONTENTS = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshotcontents';

const restore = (body?: BodyInit) => POST(portalRequest('POST', '/api/vms/team-a/vm-1/restores', { headers: fromPortal, body }), routeParams({ namespace: 'team-a', name: 'vm-1' }));

const stoppedVm = { metadata: { name: 'vm-1', namespace: 'team-a' }, spec: { runStrategy: 'Halted' }, status: { printableStatus: 'Stopped' } };
const runningVm = { metadata: { name: 'vm-1', namespace: 'team-a' }, spec: { runStrategy: 'Always' }, status: { printableStatus: 'Running', created: true, ready: true } };
const snapshot = (extra: object = {}) => ({
  metadata: { name: 's1', namespace: 'team-a', uid: 'uid-s1' },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' } },
  status: { phase: 'Succeeded', readyToUse: true, virtualMachineSnapshotContentName: 'content-s1' },
  ...extra,
});

/** The API server: a VM, snapshot s1, and whatever a test overrides by method and path. */
function cluster(vm: object, over: (req: K8sCall) => unknown = () => undefined) {
  return (req: K8sCall) => {
    const o = over(req);
    if (o !== undefined) return typeof o === 'function' ? (o as () => unknown)() : o;
    if (req.method === undefined && req.path === `${NS}/vm-1`) return vm;
    if (req.method === undefined && req.path === `${SNAPS}/s1`) return snapshot();
    if (req.method === undefined && req.path.startsWith(`${NS}/`)) throw notFound();
    return {};
  };
}
const trail = () => calls.map((c) => `${c.method ?? 'GET'} ${c.path}${c.query?.dryRun ? ' (dry run)' : ''}`);

beforeEach(() => {
  portalEnv();
  k8s.reset();
});

describe('POST /api/vms/{ns}/{name}/restores', () => {
  it.each([
    ['a broken body', '{'],
    ['no snapshot', json({})],
    ['a snapshot name that is not a name', json({ snapshot: 'S 1' })],
    ['a target that cannot be a VM name', json({ snapshot: 's1', target: 'new.vm' })],
    ['stopFirst that is not a boolean', json({ snapshot: 's1', stopFirst: 'yes' })],
    ['an unknown field', json({ snapshot: 's1', targetReadinessPolicy: 'StopTarget' })],
  ])('%s is 400 in the error shape, and nothing is sent upstream', async (_what, body) => {
    const res = await restore(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('a stopped VM: a dry run, then the restore of the VM itself', async () => {
    k8s.answer = cluster(stoppedVm);
    const res = await restore(json({ snapshot: 's1' }));
    expect(res.status).toBe(201);
    const b = await res.json();
    expect(b).toMatchObject({ target: 'vm-1', stopped: false });
    expect(b.restore).toMatch(/^vm-1-restore-\d{8}-\d{6}$/);
    expect(trail()).toEqual([`GET ${NS}/vm-1`, `GET ${SNAPS}/s1`, `POST ${RESTORES} (dry run)`, `POST ${RESTORES}`]);
    expect(calls[3]).toMatchObject({
      body: {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineRestore',
        metadata: { name: b.restore, namespace: 'team-a' },
        spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, virtualMachineSnapshotName: 's1' },
      },
      ctx: { verb: 'create', resource: 'virtualmachinerestores.snapshot.kubevirt.io' },
    });
    expect((calls[3]!.body as { spec: object }).spec).not.toHaveProperty('targetReadinessPolicy');
  });

  it('a running VM without stopFirst is a conflict, and nothing is changed', async () => {
    k8s.answer = cluster(runningVm);
    const res = await restore(json({ snapshot: 's1' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', details: { vmRunning: true } });
    expect(calls.filter((c) => c.method)).toEqual([]);
  });

  it('a running VM with stopFirst: dry run, stop, then a restore that waits for the stop', async () => {
    k8s.answer = cluster(runningVm);
    const res = await restore(json({ snapshot: 's1', stopFirst: true }));
    expect(res.status).toBe(201);
    expect((await res.json()).stopped).toBe(true);
    expect(trail()).toEqual([`GET ${NS}/vm-1`, `GET ${SNAPS}/s1`, `POST ${RESTORES} (dry run)`, `PUT ${SUB}/vm-1/stop`, `POST ${RESTORES}`]);
    expect(calls[4]?.body).toMatchObject({
      metadata: { annotations: { 'kubevirt-portal/stopped-for-restore': 'true' } },
      spec: { targetReadinessPolicy: 'WaitEventually', virtualMachineSnapshotName: 's1' },
    });
  });

  it('a dry run the API server refuses leaves the running VM alone', async () => {
    k8s.answer = cluster(runningVm, (req) =>
      req.method === 'POST'
        ? () => {
            throw forbidden('virtualmachinerestores.snapshot.kubevirt.io is forbidden: User "viewer" cannot create resource', { verb: 'create', resource: 'virtualmachinerestores.snapshot.kubevirt.io', namespace: 'team-a' });
          }
        : undefined,
    );
    const res = await restore(json({ snapshot: 's1', stopFirst: true }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('a create refused after the stop starts the VM again', async () => {
    k8s.answer = cluster(runningVm, (req) =>
      req.method === 'POST' && !req.query?.dryRun
        ? () => {
            throw conflict('already exists', 'AlreadyExists');
          }
        : undefined,
    );
    expect((await restore(json({ snapshot: 's1', stopFirst: true }))).status).toBe(409);
    expect(trail().slice(-3)).toEqual([`PUT ${SUB}/vm-1/stop`, `POST ${RESTORES}`, `PUT ${SUB}/vm-1/start`]);
  });

  it('a VM already stopping (the stop answers 409) is restored all the same', async () => {
    k8s.answer = cluster({ ...runningVm, status: { printableStatus: 'Stopping', created: true } }, (req) =>
      req.method === 'PUT'
        ? () => {
            throw conflict('VM is not running');
          }
        : undefined,
    );
    expect((await restore(json({ snapshot: 's1', stopFirst: true }))).status).toBe(201);
  });

  it('a restore or snapshot in progress on the VM is a conflict, in KubeVirt\'s words', async () => {
    k8s.answer = cluster({ ...stoppedVm, status: { printableStatus: 'Stopped', restoreInProgress: 'r0' } });
    const res = await restore(json({ snapshot: 's1' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toBe('VirtualMachineRestore "r0" in progress');
  });

  it('a snapshot of another VM, or one not ready, is a conflict', async () => {
    k8s.answer = cluster(stoppedVm, (req) => (req.path === `${SNAPS}/s1` ? { ...snapshot(), spec: { source: { kind: 'VirtualMachine', name: 'vm-2' } } } : undefined));
    expect((await restore(json({ snapshot: 's1' }))).status).toBe(409);
    k8s.answer = cluster(stoppedVm, (req) => (req.path === `${SNAPS}/s1` ? snapshot({ status: { phase: 'InProgress', readyToUse: false } }) : undefined));
    const res = await restore(json({ snapshot: 's1' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toContain('not ready');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('to a new VM: the name must be free; a running source is not stopped; fixed MACs are patched away', async () => {
    const content = { spec: { source: { virtualMachine: { spec: { template: { spec: { domain: { devices: { interfaces: [{ name: 'default', macAddress: '02:00:00:00:00:01' }] } } } } } } } } };
    k8s.answer = cluster(runningVm, (req) => (req.path === `${CONTENTS}/content-s1` ? content : undefined));
    const res = await restore(json({ snapshot: 's1', target: 'vm-copy' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ target: 'vm-copy', stopped: false });
    expect(trail()).toEqual([`GET ${NS}/vm-1`, `GET ${SNAPS}/s1`, `GET ${NS}/vm-copy`, `GET ${CONTENTS}/content-s1`, `POST ${RESTORES} (dry run)`, `POST ${RESTORES}`]);
    expect(calls[5]?.body).toMatchObject({
      spec: { target: { name: 'vm-copy' }, patches: [json({ op: 'remove', path: '/spec/template/spec/domain/devices/interfaces/0/macAddress' })] },
    });

    calls.length = 0;
    k8s.answer = cluster(runningVm, (req) => (req.path === `${NS}/vm-copy` ? { metadata: { name: 'vm-copy' } } : undefined));
    const taken = await restore(json({ snapshot: 's1', target: 'vm-copy' }));
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.details).toMatchObject({ upstreamReason: 'AlreadyExists' });
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
