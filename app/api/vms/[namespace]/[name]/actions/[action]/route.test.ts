import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { POST } from './route';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' }),
}));
const calls: unknown[] = [];
vi.mock('@/lib/k8s/client', () => ({
  clientFor: async (identity: unknown) => ({
    identity,
    json: async (req: unknown) => {
      calls.push(req);
      return {};
    },
  }),
}));

const act = (params: { namespace: string; name: string; action: string }, body?: BodyInit) =>
  POST(portalRequest('POST', `/api/vms/${params.namespace}/${params.name}/actions/${params.action}`, { headers: fromPortal, body }), routeParams(params));

beforeEach(() => {
  portalEnv();
  calls.length = 0;
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
});
