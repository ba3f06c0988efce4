import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { apiError, type K8sCall } from '@/lib/api/test-k8s';
import { DELETE, PATCH } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

type P = { namespace: string; name: string; disk: string };
const at = (disk: string): P => ({ namespace: 'team-a', name: 'web', disk });
const del = (p: P) => DELETE(portalRequest('DELETE', `/api/vms/${p.namespace}/${p.name}/disks/${p.disk}`, { headers: fromPortal }), routeParams(p));
const patch = (p: P, body?: BodyInit) => PATCH(portalRequest('PATCH', `/api/vms/${p.namespace}/${p.name}/disks/${p.disk}`, { headers: fromPortal, body }), routeParams(p));
const json = (v: unknown) => JSON.stringify(v);

const VM_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/web';
const SUB = '/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines/web';
const PVC = '/api/v1/namespaces/team-a/persistentvolumeclaims';
const SC = '/apis/storage.k8s.io/v1/storageclasses';
const vm = {
  metadata: { name: 'web', namespace: 'team-a', uid: 'vm-uid' },
  spec: {
    template: {
      spec: {
        domain: { devices: { disks: [{ name: 'containerdisk' }, { name: 'rootdisk' }, { name: 'data' }] } },
        volumes: [
          { name: 'containerdisk', containerDisk: { image: 'x' } },
          { name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'shared-1', hotpluggable: true } },
        ],
      },
    },
  },
};
const claim = (name: string, request = '1Gi', capacity = request, storageClassName = 'sandbox-shared', phase = 'Bound') => ({
  metadata: { name, namespace: 'team-a', resourceVersion: '42' },
  spec: { storageClassName, resources: { requests: { storage: request } } },
  status: { phase, capacity: { storage: capacity } },
});
const cluster = (over: Partial<Record<string, (req: K8sCall) => unknown>> = {}) => (req: K8sCall) => {
  for (const [prefix, f] of Object.entries(over)) if (req.path.startsWith(prefix) && f) return f(req);
  if (req.path === VM_PATH) return vm;
  if (req.path === `${PVC}/shared-1` && req.method === undefined) return claim('shared-1');
  if (req.path === `${PVC}/web-rootdisk` && req.method === undefined) return claim('web-rootdisk', '2Gi', '2Gi', 'sandbox-local');
  if (req.path === `${SC}/sandbox-shared`) return { allowVolumeExpansion: true };
  if (req.path === `${SC}/sandbox-local`) return { allowVolumeExpansion: false };
  return {};
};

beforeEach(() => {
  portalEnv();
  calls.length = 0;
  k8s.answer = cluster();
});

describe('DELETE /api/vms/{ns}/{name}/disks/{disk}', () => {
  it('asks virt-api to remove the volume, as the user', async () => {
    const res = await del(at('data'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, disk: 'data' });
    expect(calls).toEqual([{ method: 'PUT', path: `${SUB}/removevolume`, body: { name: 'data' }, ctx: { verb: 'update', resource: 'virtualmachines/removevolume', namespace: 'team-a', name: 'web' } }]);
  });

  it.each(['Data', 'a'.repeat(64), '-x', 'x.y', '%2e%2e'])('a disk name that cannot be a volume\'s (%j) is 400, and nothing is sent', async (disk) => {
    const res = await del(at(disk));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
    expect(calls).toEqual([]);
  });

  it('virt-api\'s refusal comes back with its words: a disk that is not hot-plugged', async () => {
    k8s.answer = () => {
      throw apiError(409, 'Unable to remove volume [rootdisk] because it is not hotpluggable');
    };
    const res = await del(at('rootdisk'));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', message: 'Unable to remove volume [rootdisk] because it is not hotpluggable' });
  });

  it('a user the API server refuses gets 403 naming the verb and subresource', async () => {
    k8s.answer = (req) => {
      throw apiError(403, 'virtualmachines.subresources.kubevirt.io "web" is forbidden: User "viewer" cannot update resource "virtualmachines/removevolume" in API group "subresources.kubevirt.io"', {}, req.ctx);
    };
    const res = await del(at('data'));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: 'Not allowed to update virtualmachines/removevolume "web" in namespace "team-a".' });
  });
});

describe('PATCH /api/vms/{ns}/{name}/disks/{disk}', () => {
  it.each([
    ['no body', undefined],
    ['a broken body', '{"size":'],
    ['a size that is not one', json({ size: 'twice' })],
    ['a negative size', json({ size: '-1Gi' })],
    ['a field it does not take', json({ size: '2Gi', claim: 'other' })],
  ])('%s is 400 in the error shape, and nothing is sent', async (_what, body) => {
    const res = await patch(at('data'), body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('grows the disk\'s claim with a merge patch on the version it checked', async () => {
    const res = await patch(at('data'), json({ size: '2Gi' }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, disk: 'data', claim: 'shared-1', from: '1Gi', to: '2Gi' });
    expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
      ['GET', VM_PATH],
      ['GET', `${PVC}/shared-1`],
      ['GET', `${SC}/sandbox-shared`],
      ['PATCH', `${PVC}/shared-1`],
    ]);
    expect(calls[3]).toEqual({
      method: 'PATCH',
      path: `${PVC}/shared-1`,
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: '42' }, spec: { resources: { requests: { storage: '2Gi' } } } },
      ctx: { verb: 'patch', resource: 'persistentvolumeclaims', namespace: 'team-a', name: 'shared-1' },
    });
  });

  it('a size no larger than the claim has is 400, and nothing is patched', async () => {
    for (const size of ['1Gi', '512Mi']) {
      const res = await patch(at('data'), json({ size }));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'bad_request', details: { field: 'size', current: '1Gi' } });
    }
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('a class that does not allow expansion is a conflict, and nothing is patched', async () => {
    const res = await patch(at('rootdisk'), json({ size: '4Gi' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', message: 'StorageClass sandbox-local does not allow volume expansion.' });
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('a class the user may not read leaves the decision to the API server', async () => {
    k8s.answer = cluster({ [SC]: () => { throw apiError(403, 'storageclasses.storage.k8s.io "sandbox-shared" is forbidden'); } });
    expect((await patch(at('data'), json({ size: '2Gi' }))).status).toBe(202);
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', path: `${PVC}/shared-1` });
  });

  it('a disk the VM does not have is 404; one without a claim is a conflict; an unbound claim too', async () => {
    expect((await patch(at('nope'), json({ size: '2Gi' }))).status).toBe(404);
    const res = await patch(at('containerdisk'), json({ size: '2Gi' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/containerDisk volume/);
    k8s.answer = cluster({ [`${PVC}/shared-1`]: (req) => (req.method ? {} : claim('shared-1', '1Gi', '1Gi', 'sandbox-shared', 'Pending')) });
    expect((await patch(at('data'), json({ size: '2Gi' }))).status).toBe(409);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('the API server\'s refusal of the patch comes back mapped: a viewer\'s 403, a changed claim\'s 409', async () => {
    k8s.answer = cluster({
      [`${PVC}/shared-1`]: (req) => {
        if (!req.method) return claim('shared-1');
        throw apiError(403, 'persistentvolumeclaims "shared-1" is forbidden: User "viewer" cannot patch resource "persistentvolumeclaims" in API group "" in the namespace "team-a"', {}, req.ctx);
      },
    });
    const res = await patch(at('data'), json({ size: '2Gi' }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: 'Not allowed to patch persistentvolumeclaims "shared-1" in namespace "team-a".' });
    k8s.answer = cluster({
      [`${PVC}/shared-1`]: (req) => {
        if (!req.method) return claim('shared-1');
        throw apiError(409, 'Operation cannot be fulfilled on persistentvolumeclaims "shared-1": the object has been modified; please apply your changes to the latest version and try again');
      },
    });
    expect((await patch(at('data'), json({ size: '2Gi' }))).status).toBe(409);
  });
});
