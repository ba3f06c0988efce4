import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { mapApiError } from '@/lib/k8s/errors';
import { GET } from './route';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'admin', groups: [], token: 't' }, displayName: 'admin' }),
}));
const calls: { path: string; query?: Record<string, unknown> }[] = [];
let answer: () => unknown = () => ({});
vi.mock('@/lib/k8s/client', () => ({
  clientFor: async (identity: unknown) => ({
    identity,
    json: async (req: { path: string; query?: Record<string, unknown> }) => {
      calls.push(req);
      return answer();
    },
  }),
}));

const get = () => GET(portalRequest('GET', '/api/migrations/nodes'), routeParams({}));

beforeEach(() => {
  portalEnv();
  calls.length = 0;
});

describe('GET /api/migrations/nodes', () => {
  it('lists nodes as the user and sends only what the picker needs', async () => {
    answer = () => ({
      metadata: { continue: 'abc' },
      items: [
        {
          metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' }, annotations: { secret: 'x' } },
          spec: { podCIDR: '10.0.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] },
          status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.0.2.1' }] },
        },
      ],
    });
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ nodes: [{ name: 'worker-1', ready: true, unschedulable: false, taints: ['k'] }], truncated: true });
    expect(calls).toEqual([expect.objectContaining({ path: '/api/v1/nodes', query: { limit: 1000 } })]);
  });

  it('passes the API server\'s refusal on as a 403 naming the verb and resource', async () => {
    answer = () => {
      throw mapApiError(403, JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'nodes is forbidden: User "dev" cannot list resource "nodes" in API group "" at the cluster scope' }), { verb: 'list', resource: 'nodes' });
    };
    const res = await get();
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: 'Not allowed to list nodes.' });
  });
});
