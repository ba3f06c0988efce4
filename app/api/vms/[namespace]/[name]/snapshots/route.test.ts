import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { apiError, forbidden, notFound, type K8sCall } from '@/lib/api/test-k8s';
import { POST } from './route';
import { DELETE, GET } from './[snapshot]/route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const json = (v: unknown) => JSON.stringify(v);
const SNAPS = '/apis/snapshot.kubevirt.io/v1beta1/namespaces/team-a/virtualmachinesnapshots';
const VM = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/vm-1';
// As the real client does: the API server's 403, mapped with the context of the call that met it.
const denied = (req: K8sCall) => {
  const ctx = req.ctx!;
  throw forbidden(`${ctx.resource} is forbidden: User "viewer" cannot ${ctx.verb} resource`, ctx);
};

const take = (body?: BodyInit, params = { namespace: 'team-a', name: 'vm-1' }) =>
  POST(portalRequest('POST', `/api/vms/${params.namespace}/${params.name}/snapshots`, { headers: fromPortal, body }), routeParams(params));
const del = (snapshot: string, body?: BodyInit) =>
  DELETE(portalRequest('DELETE', `/api/vms/team-a/vm-1/snapshots/${snapshot}`, { headers: fromPortal, body }), routeParams({ namespace: 'team-a', name: 'vm-1', snapshot }));
const details = (snapshot: string) => GET(portalRequest('GET', `/api/vms/team-a/vm-1/snapshots/${snapshot}`, { headers: fromPortal }), routeParams({ namespace: 'team-a', name: 'vm-1', snapshot }));

const snapshotOf = (vm: string, extra: object = {}) => ({
  metadata: { name: 's1', namespace: 'team-a', uid: 'uid-s1' },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: vm } },
  status: { phase: 'Succeeded', readyToUse: true, virtualMachineSnapshotContentName: 'vmsnapshot-content-uid-s1' },
  ...extra,
});

beforeEach(() => {
  portalEnv();
  k8s.reset();
});

describe('POST /api/vms/{ns}/{name}/snapshots', () => {
  it.each([
    ['a broken body', '{"name":'],
    ['no body', undefined],
    ['a name that is not a Kubernetes name', json({ name: 'Snap_1' })],
    ['an unknown field', json({ name: 's1', deletionPolicy: 'Retain' })],
    ['a deadline out of range', json({ name: 's1', failureDeadlineMinutes: 0 })],
    ['a description too long', json({ name: 's1', description: 'x'.repeat(1001) })],
  ])('%s is 400 in the error shape, and nothing is sent upstream', async (_what, body) => {
    const res = await take(body);
    expect(res.status).toBe(400);
    const b = await res.json();
    expect(b.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('a path segment that cannot be a name is 400', async () => {
    expect((await take(json({ name: 's1' }), { namespace: 'Team_A', name: 'vm-1' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('reads the VM, then creates the snapshot manifest as the user', async () => {
    const res = await take(json({ name: 's1', description: 'before upgrade', failureDeadlineMinutes: 7 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ snapshot: 's1' });
    expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
      ['GET', VM],
      ['POST', SNAPS],
    ]);
    expect(calls[1]).toMatchObject({
      query: { fieldManager: 'kubevirt-portal' },
      body: {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshot',
        metadata: { name: 's1', namespace: 'team-a', annotations: { description: 'before upgrade' } },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, failureDeadline: '7m' },
      },
      ctx: { verb: 'create', resource: 'virtualmachinesnapshots.snapshot.kubevirt.io', namespace: 'team-a', name: 's1' },
    });
  });

  it('a VM that is not there is 404, and no snapshot is made', async () => {
    k8s.answer = () => {
      throw notFound('virtualmachines.kubevirt.io "vm-1" not found');
    };
    expect((await take(json({ name: 's1' }))).status).toBe(404);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('the API server\'s refusal comes back as 403 saying what was denied', async () => {
    k8s.answer = (req) => (req.method === 'POST' ? denied(req) : {});
    const res = await take(json({ name: 's1' }));
    expect(res.status).toBe(403);
    const b = await res.json();
    expect(b.error.code).toBe('forbidden');
    expect(b.error.message).toBe('Not allowed to create virtualmachinesnapshots.snapshot.kubevirt.io "s1" in namespace "team-a".');
  });
});

describe('DELETE /api/vms/{ns}/{name}/snapshots/{snapshot}', () => {
  it('a snapshot of this VM is deleted with its uid as precondition', async () => {
    k8s.answer = (req) => (req.method === undefined ? snapshotOf('vm-1') : {});
    const res = await del('s1');
    expect(res.status).toBe(202);
    expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
      ['GET', `${SNAPS}/s1`],
      ['DELETE', `${SNAPS}/s1`],
    ]);
    expect(calls[1]).toMatchObject({ body: { kind: 'DeleteOptions', preconditions: { uid: 'uid-s1' } }, ctx: { verb: 'delete', resource: 'virtualmachinesnapshots.snapshot.kubevirt.io' } });
  });

  it('the uid the page shows wins', async () => {
    k8s.answer = (req) => (req.method === undefined ? snapshotOf('vm-1') : {});
    expect((await del('s1', json({ uid: 'uid-seen' }))).status).toBe(202);
    expect(calls[1]?.body).toMatchObject({ preconditions: { uid: 'uid-seen' } });
  });

  it('another VM\'s snapshot is a conflict and is not deleted', async () => {
    k8s.answer = () => snapshotOf('vm-2');
    expect((await del('s1')).status).toBe(409);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('bad names and bodies are 400', async () => {
    expect((await del('S1')).status).toBe(400);
    expect((await del('s1', json({ uid: 'u', force: true }))).status).toBe(400);
    expect((await del('s1', '{')).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('a viewer\'s delete is 403', async () => {
    k8s.answer = (req) => (req.method === 'DELETE' ? denied(req) : snapshotOf('vm-1'));
    const res = await del('s1');
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });
});

describe('GET /api/vms/{ns}/{name}/snapshots/{snapshot}', () => {
  const content = { spec: { volumeBackups: [{ volumeName: 'datadisk', volumeSnapshotName: 'vs-data', persistentVolumeClaim: {} }, { volumeName: 'rootdisk', volumeSnapshotName: 'vs-root', persistentVolumeClaim: {} }] } };
  it('sizes from the volume snapshots behind the snapshot\'s content', async () => {
    k8s.answer = (req) =>
      req.path.endsWith('/virtualmachinesnapshots/s1')
        ? snapshotOf('vm-1')
        : req.path.endsWith('/virtualmachinesnapshotcontents/vmsnapshot-content-uid-s1')
          ? content
          : req.path.endsWith('/volumesnapshots/vs-data')
            ? { status: { restoreSize: '1Gi' } }
            : { status: { restoreSize: '512Mi' } };
    const res = await details('s1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      snapshot: 's1',
      readable: true,
      volumes: [
        { volume: 'datadisk', restoreSize: '1Gi', bytes: 1024 ** 3 },
        { volume: 'rootdisk', restoreSize: '512Mi', bytes: 512 * 1024 ** 2 },
      ],
      totalBytes: 1024 ** 3 + 512 * 1024 ** 2,
    });
    expect(calls.map((c) => c.path)).toContain('/apis/snapshot.storage.k8s.io/v1/namespaces/team-a/volumesnapshots/vs-data');
  });

  it('a content the user may not read leaves the sizes out, not an error', async () => {
    k8s.answer = (req) => (req.path.endsWith('/virtualmachinesnapshots/s1') ? snapshotOf('vm-1') : denied(req));
    const res = await details('s1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ snapshot: 's1', readable: false, volumes: [] });
  });

  it('a volume snapshot that cannot be read leaves that size, and the total, out', async () => {
    k8s.answer = (req) =>
      req.path.endsWith('/virtualmachinesnapshots/s1')
        ? snapshotOf('vm-1')
        : req.path.includes('virtualmachinesnapshotcontents')
          ? content
          : req.path.endsWith('/vs-data')
            ? { status: { restoreSize: '1Gi' } }
            : (() => {
                throw apiError(404, 'not found');
              })();
    const b = await (await details('s1')).json();
    expect(b.volumes).toEqual([{ volume: 'datadisk', restoreSize: '1Gi', bytes: 1024 ** 3 }, { volume: 'rootdisk' }]);
    expect(b.totalBytes).toBeUndefined();
  });
});
