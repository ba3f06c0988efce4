import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { apiError } from '@/lib/api/test-k8s';
import { POST } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;

const act = (params: { namespace: string; name: string; action: string }, body?: BodyInit) =>
  POST(portalRequest('POST', `/api/vms/${params.namespace}/${params.name}/actions/${params.action}`, { headers: fromPortal, body }), routeParams(params));

beforeEach(() => {
  portalEnv();
  k8s.reset();
});

const json = (v: unknown) => JSON.stringify(v);
const SUB = '/apis/subresources.kubevirt.io/v1/namespaces/team-a';
const VMIMS = '/apis/kubevirt.io/v1/namespaces/team-a/virtualmachineinstancemigrations';
const vmim = (name: string, vmiName: string, phase: string, created = '2026-01-01T10:00:00Z') => ({
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, creationTimestamp: created },
  spec: { vmiName },
  status: { phase },
});

describe('POST /api/vms/{ns}/{name}/actions/{action}', () => {
  it('a broken body is 400, and nothing is sent upstream', async () => {
    const res = await act({ namespace: 'team-a', name: 'vm', action: 'start' }, '{"uid":');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
    expect(calls).toEqual([]);
  });

  it('a path segment that cannot be a Kubernetes name is 400', async () => {
    const res = await act({ namespace: 'Team_A', name: 'vm', action: 'start' });
    expect(res.status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('an unknown action is 404', async () => expect((await act({ namespace: 'team-a', name: 'vm', action: 'explode' })).status).toBe(404));

  it('no body at all is fine: the action runs', async () => {
    const res = await act({ namespace: 'team-a', name: 'vm', action: 'start' });
    expect(res.status).toBe(202);
    expect(calls).toHaveLength(1);
  });

  it('a field the action does not take, or an unknown one, is 400 and nothing is sent', async () => {
    expect((await act({ namespace: 'team-a', name: 'vm', action: 'start' }, json({ node: 'worker-2' }))).status).toBe(400);
    expect((await act({ namespace: 'team-a', name: 'vm', action: 'migrate' }, json({ uid: 'u' }))).status).toBe(400);
    expect((await act({ namespace: 'team-a', name: 'vm', action: 'migrate' }, json({ force: true }))).status).toBe(400);
    expect(calls).toEqual([]);
  });

  describe('migrate', () => {
    it('without a node: PUT virtualmachines/{name}/migrate with an empty body', async () => {
      const res = await act({ namespace: 'team-a', name: 'vm', action: 'migrate' });
      expect(res.status).toBe(202);
      expect(calls).toEqual([
        { method: 'PUT', path: `${SUB}/virtualmachines/vm/migrate`, body: {}, ctx: { verb: 'update', resource: 'virtualmachines/migrate', namespace: 'team-a', name: 'vm' } },
      ]);
    });

    it('with a node: the same call, with addedNodeSelector on kubernetes.io/hostname', async () => {
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'migrate' }, json({ node: 'worker-2' }))).status).toBe(202);
      expect(calls[0]).toMatchObject({ method: 'PUT', path: `${SUB}/virtualmachines/vm/migrate`, body: { addedNodeSelector: { 'kubernetes.io/hostname': 'worker-2' } } });
    });

    it.each(['Worker_2', 'a'.repeat(254), '-x', 'x y', '../x', ''])('a node that cannot be a node name (%j) is 400', async (node) => {
      const res = await act({ namespace: 'team-a', name: 'vm', action: 'migrate' }, json({ node }));
      expect(res.status).toBe(400);
      expect(calls).toEqual([]);
    });

    it('virt-api\'s 500 for a webhook refusal is a conflict with the webhook\'s words', async () => {
      k8s.answer = () => {
        throw apiError(500, 'Internal error occurred: admission webhook "migration-create-validator.kubevirt.io" denied the request: Cannot migrate VMI, Reason: DisksNotLiveMigratable, Message: cannot migrate VMI: PVC root is not shared', { reason: 'InternalError' });
      };
      const res = await act({ namespace: 'team-a', name: 'vm', action: 'migrate' });
      expect(res.status).toBe(409);
      const b = await res.json();
      expect(b.error).toMatchObject({ code: 'conflict', message: 'Cannot migrate VMI, Reason: DisksNotLiveMigratable, Message: cannot migrate VMI: PVC root is not shared' });
      k8s.answer = () => {
        throw apiError(500, 'Internal error occurred: etcd is down');
      };
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'migrate' })).status).toBe(502);
    });
  });

  describe('cancelMigration', () => {
    it('the migration the page names is checked to be this VM\'s, then deleted with its uid as precondition', async () => {
      k8s.answer = (req) => (req.method === undefined ? vmim('m1', 'vm', 'Running') : {});
      const res = await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' }, json({ migration: 'm1' }));
      expect(res.status).toBe(202);
      expect(calls.map((c) => [c.method ?? 'GET', c.path])).toEqual([
        ['GET', `${VMIMS}/m1`],
        ['DELETE', `${VMIMS}/m1`],
      ]);
      expect(calls[1]).toMatchObject({
        body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'uid-m1' } },
        ctx: { verb: 'delete', resource: 'virtualmachineinstancemigrations.kubevirt.io', name: 'm1' },
      });
    });

    it('a named migration of another VM, or one that has ended, is a conflict and is not deleted', async () => {
      k8s.answer = () => vmim('m1', 'other-vm', 'Running');
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' }, json({ migration: 'm1' }))).status).toBe(409);
      k8s.answer = () => vmim('m1', 'vm', 'Succeeded');
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' }, json({ migration: 'm1' }))).status).toBe(409);
      expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    });

    it('without a name: the VM\'s unfinished migration, listed by the vmi-name label', async () => {
      k8s.answer = (req) =>
        req.method === undefined ? { metadata: { resourceVersion: '5' }, items: [vmim('old', 'vm', 'Succeeded', '2026-01-01T09:00:00Z'), vmim('now', 'vm', 'Scheduling')] } : {};
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' })).status).toBe(202);
      expect(calls[0]).toMatchObject({ path: VMIMS, query: { labelSelector: 'kubevirt.io/vmi-name=vm' } });
      expect(calls[1]).toMatchObject({ method: 'DELETE', path: `${VMIMS}/now`, body: { preconditions: { uid: 'uid-now' } } });
    });

    it('with nothing in progress it is a conflict', async () => {
      k8s.answer = () => ({ items: [vmim('old', 'vm', 'Failed')] });
      const res = await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' });
      expect(res.status).toBe(409);
      expect((await res.json()).error.message).toMatch(/No migration of VM vm is in progress/);
    });

    it('a migration name that cannot be a name is 400', async () => {
      expect((await act({ namespace: 'team-a', name: 'vm', action: 'cancelMigration' }, json({ migration: 'A/B' }))).status).toBe(400);
      expect(calls).toEqual([]);
    });
  });
});
