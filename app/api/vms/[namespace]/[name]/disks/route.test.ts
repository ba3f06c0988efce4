import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { mapApiError } from '@/lib/k8s/errors';
import { apiError, conflict, notFound, type K8sCall } from '@/lib/api/test-k8s';
import { GET, POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const params = { namespace: 'team-a', name: 'web' };
const post = (body?: BodyInit, p: { namespace: string; name: string } = params) =>
  POST(portalRequest('POST', `/api/vms/${p.namespace}/${p.name}/disks`, { headers: fromPortal, body }), routeParams(p));
const json = (v: unknown) => JSON.stringify(v);

const VM_PATH = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/web';
const SUB = '/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines/web';
const DVS = '/apis/cdi.kubevirt.io/v1beta1/namespaces/team-a/datavolumes';
const PVCS = '/api/v1/namespaces/team-a/persistentvolumeclaims';
const vm = {
  metadata: { name: 'web', namespace: 'team-a', uid: 'vm-uid' },
  spec: { template: { spec: { domain: { devices: { disks: [{ name: 'rootdisk' }] } }, volumes: [{ name: 'rootdisk', containerDisk: { image: 'x' } }] } } },
};
const vmReads = (req: K8sCall) => req.method === undefined && req.path === VM_PATH;

beforeEach(() => {
  portalEnv();
  calls.length = 0;
  k8s.answer = (req) => (vmReads(req) ? vm : req.method === 'POST' ? { metadata: { uid: 'dv-uid' } } : {});
});

describe('POST /api/vms/{ns}/{name}/disks', () => {
  it('a broken body is 400 in the error shape, and nothing is sent upstream', async () => {
    const res = await post('{"source":');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it.each([
    ['no body', undefined],
    ['an unknown source', json({ source: 'snapshot', name: 'data' })],
    ['a name that is not a DNS-1123 label', json({ source: 'blank', name: 'Data_1', size: '1Gi' })],
    ['a size that is not one', json({ source: 'blank', name: 'data', size: '1 GB' })],
    ['a size below 1Mi', json({ source: 'blank', name: 'data', size: '1Ki' })],
    ['a class that cannot be a name', json({ source: 'blank', name: 'data', size: '1Gi', storageClass: '../x' })],
    ['an access mode Kubernetes does not have', json({ source: 'blank', name: 'data', size: '1Gi', accessMode: 'ReadWriteAll' })],
    ['a field a blank disk does not take', json({ source: 'blank', name: 'data', size: '1Gi', claim: 'c' })],
    ['a claim that cannot be a name', json({ source: 'claim', name: 'data', claim: 'A/B' })],
  ])('%s is 400 with the issues, and nothing is sent', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const b = await res.json();
    expect(b.error.code).toBe('bad_request');
    expect(b.error.details.issues.length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('a path segment that cannot be a Kubernetes name is 400', async () => {
    expect((await post(json({ source: 'claim', name: 'data', claim: 'c' }), { namespace: 'Team_A', name: 'web' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('a request without the portal\'s CSRF token is refused before anything is read', async () => {
    const res = await POST(portalRequest('POST', '/api/vms/team-a/web/disks', { body: json({ source: 'claim', name: 'data', claim: 'c' }) }), routeParams(params));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('csrf');
    expect(calls).toEqual([]);
  });

  it('a blank disk: both objects tried as dry runs, then the DataVolume made and hot-plugged', async () => {
    const res = await post(json({ source: 'blank', name: 'data', size: '1Gi', storageClass: 'sandbox-shared', volumeMode: 'Block' }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, disk: 'data', claim: 'web-data', dataVolume: 'web-data' });
    expect(calls.map((c) => [c.method ?? 'GET', c.path, c.query?.dryRun ?? (c.body as { dryRun?: string[] })?.dryRun?.[0] ?? ''])).toEqual([
      ['GET', VM_PATH, ''],
      ['POST', DVS, 'All'],
      ['PUT', `${SUB}/addvolume`, 'All'],
      ['POST', DVS, ''],
      ['PUT', `${SUB}/addvolume`, ''],
    ]);
    expect(calls[3]).toMatchObject({
      body: {
        kind: 'DataVolume',
        metadata: { name: 'web-data', namespace: 'team-a', ownerReferences: [{ kind: 'VirtualMachine', name: 'web', uid: 'vm-uid' }] },
        spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } }, storageClassName: 'sandbox-shared', volumeMode: 'Block' } },
      },
      ctx: { verb: 'create', resource: 'datavolumes.cdi.kubevirt.io', namespace: 'team-a', name: 'web-data' },
    });
    expect(calls[4]).toEqual({
      method: 'PUT',
      path: `${SUB}/addvolume`,
      body: { name: 'data', disk: { name: 'data', disk: { bus: 'scsi' } }, volumeSource: { dataVolume: { name: 'web-data', hotpluggable: true } } },
      ctx: { verb: 'update', resource: 'virtualmachines/addvolume', namespace: 'team-a', name: 'web' },
    });
  });

  it('a name the VM already uses is a conflict, and nothing is made', async () => {
    const res = await post(json({ source: 'blank', name: 'rootdisk', size: '1Gi' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    expect(calls.map((c) => c.method ?? 'GET')).toEqual(['GET']);
  });

  it('a dry run the API server refuses (a quota) ends it: nothing is made', async () => {
    k8s.answer = (req) => {
      if (vmReads(req)) return vm;
      if (req.method === 'POST') throw apiError(403, 'datavolumes "web-data" is forbidden: exceeded quota: team-quota, requested: requests.storage=1Gi, used: requests.storage=500Gi, limited: requests.storage=500Gi');
      return {};
    };
    const res = await post(json({ source: 'blank', name: 'data', size: '1Gi' }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('quota_exceeded');
    expect(calls.filter((c) => c.method === 'POST' && !c.query)).toEqual([]);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('a hot-plug refused after the DataVolume was made deletes the DataVolume again (its uid as precondition)', async () => {
    k8s.answer = (req) => {
      if (vmReads(req)) return vm;
      if (req.method === 'POST') return { metadata: { uid: 'dv-uid' } };
      if (req.method === 'PUT' && !(req.body as { dryRun?: unknown }).dryRun) throw conflict('Unable to add volume [data] because volume with that name already exists');
      return {};
    };
    const res = await post(json({ source: 'blank', name: 'data', size: '1Gi' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toBe('Unable to add volume [data] because volume with that name already exists');
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del).toEqual({
      method: 'DELETE',
      path: `${DVS}/web-data`,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'dv-uid' } },
      ctx: { verb: 'delete', resource: 'datavolumes.cdi.kubevirt.io', namespace: 'team-a', name: 'web-data' },
    });
  });

  it('when even that cleanup fails, the error names what was left behind', async () => {
    k8s.answer = (req) => {
      if (vmReads(req)) return vm;
      if (req.method === 'POST') return { metadata: { uid: 'dv-uid' } };
      if (req.method === 'DELETE') throw apiError(403, 'datavolumes.cdi.kubevirt.io "web-data" is forbidden: User "dev-a" cannot delete resource "datavolumes"');
      if (req.method === 'PUT' && !(req.body as { dryRun?: unknown }).dryRun) throw apiError(400, 'Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.');
      return {};
    };
    const res = await post(json({ source: 'blank', name: 'data', size: '1Gi' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      message: 'Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.',
      details: { leftBehind: [{ kind: 'DataVolume', namespace: 'team-a', name: 'web-data' }] },
    });
  });

  it('a claim that exists: read as the user, then hot-plugged', async () => {
    k8s.answer = (req) => (vmReads(req) ? vm : req.path === `${PVCS}/shared-1` ? { metadata: { name: 'shared-1' }, status: { phase: 'Bound' } } : {});
    const res = await post(json({ source: 'claim', name: 'data', claim: 'shared-1' }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true, disk: 'data', claim: 'shared-1' });
    expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
      ['GET', VM_PATH],
      ['GET', `${PVCS}/shared-1`],
      ['PUT', `${SUB}/addvolume`],
    ]);
    expect(calls[1]!.ctx).toEqual({ verb: 'get', resource: 'persistentvolumeclaims', namespace: 'team-a', name: 'shared-1' });
    expect(calls[2]!.body).toEqual({ name: 'data', disk: { name: 'data', disk: { bus: 'scsi' } }, volumeSource: { persistentVolumeClaim: { claimName: 'shared-1', hotpluggable: true } } });
  });

  it('a claim the user may not read, or that is missing or going, is not hot-plugged', async () => {
    k8s.answer = (req) => {
      if (vmReads(req)) return vm;
      if (req.path.startsWith(PVCS)) throw notFound('persistentvolumeclaims "nope" not found');
      return {};
    };
    expect((await post(json({ source: 'claim', name: 'data', claim: 'nope' }))).status).toBe(404);
    k8s.answer = (req) => (vmReads(req) ? vm : req.path.startsWith(PVCS) ? { metadata: { name: 'going', deletionTimestamp: '2026-01-01T00:00:00Z' } } : {});
    expect((await post(json({ source: 'claim', name: 'data', claim: 'going' }))).status).toBe(409);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('virt-api\'s own denial (401, plain text) is a 403 that names the subresource', async () => {
    k8s.answer = (req) => {
      if (vmReads(req)) return vm;
      if (req.path.startsWith(PVCS)) return { metadata: { name: 'c' } };
      throw mapApiError(401, 'User viewer cannot update virtualmachines/addvolume', req.ctx);
    };
    const res = await post(json({ source: 'claim', name: 'data', claim: 'c' }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', details: { verb: 'update', resource: 'virtualmachines/addvolume' } });
  });
});

describe('GET /api/vms/{ns}/{name}/disks', () => {
  const get = () => GET(portalRequest('GET', '/api/vms/team-a/web/disks'), routeParams(params));

  it('the storage classes with what each can do, from the classes, CDI\'s profiles and the snapshot classes', async () => {
    k8s.answer = (req) => {
      if (req.path.endsWith('/storageclasses')) {
        return { items: [{ metadata: { name: 'sandbox-shared', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'shared.csi', allowVolumeExpansion: true }, { metadata: { name: 'sandbox-local' }, provisioner: 'local.csi', allowVolumeExpansion: false }] };
      }
      if (req.path.endsWith('/storageprofiles')) return { items: [{ metadata: { name: 'sandbox-shared' }, status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }] } }] };
      if (req.path.endsWith('/volumesnapshotclasses')) return { items: [{ metadata: { name: 'snap' }, driver: 'shared.csi' }] };
      return {};
    };
    const res = await get();
    expect(res.status).toBe(200);
    const b = await res.json();
    expect(b.unavailable).toEqual([]);
    expect(b.storageClasses).toEqual([
      expect.objectContaining({ name: 'sandbox-shared', isDefault: true, expansion: true, snapshots: true, accessModes: ['ReadWriteMany'], volumeModes: ['Block'] }),
      expect.objectContaining({ name: 'sandbox-local', isDefault: false, expansion: false, snapshots: false }),
    ]);
  });

  it('classes the user may not read are left out and named', async () => {
    k8s.answer = (req) => {
      if (req.path.endsWith('/storageclasses')) throw apiError(403, 'storageclasses.storage.k8s.io is forbidden: User "dev-a" cannot list resource "storageclasses"');
      return { items: [] };
    };
    const b = await (await get()).json();
    expect(b).toEqual({ storageClasses: [], unavailable: ['storageClasses'] });
  });
});
