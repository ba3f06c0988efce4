import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { GET } from './route';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' }),
}));
vi.mock('@/lib/k8s/client', () => ({ clientFor: async (identity: unknown) => ({ identity }) }));
const reviews: unknown[] = [];
let allowed = true;
vi.mock('@/lib/k8s/access', () => ({
  reviewAccess: async (_client: unknown, check: object) => {
    reviews.push(check);
    return { ...check, allowed, ...(allowed ? {} : { reason: 'no RBAC policy matched' }) };
  },
}));
const reads: unknown[][] = [];
vi.mock('@/lib/metrics/migration-progress', () => ({
  readMigrationProgress: async (...args: unknown[]) => {
    reads.push(args);
    return { available: true, processedBytes: 10, remainingBytes: 90, dirtyRateBytes: 1 };
  },
}));

const get = (qs: string) => GET(portalRequest('GET', `/api/migrations/progress?${qs}`), routeParams({}));

beforeEach(() => {
  portalEnv();
  reviews.length = 0;
  reads.length = 0;
  allowed = true;
});

describe('GET /api/migrations/progress', () => {
  it('asks whether the user may get that VMI, then reads the figures from the configured source', async () => {
    const res = await get('namespace=team-a&name=vm-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ available: true, processedBytes: 10, remainingBytes: 90, dirtyRateBytes: 1 });
    expect(reviews).toEqual([{ verb: 'get', group: 'kubevirt.io', resource: 'virtualmachineinstances', namespace: 'team-a', name: 'vm-1' }]);
    // Sandbox mode (portalEnv): the simulator's text endpoint.
    expect(reads).toEqual([[{ source: 'exposition', url: 'http://127.0.0.1:8444/metrics' }, 'team-a', 'vm-1']]);
  });

  it('a user who may not get the VMI is refused before any metric is read', async () => {
    allowed = false;
    const res = await get('namespace=team-a&name=vm-1');
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', details: { verb: 'get', resource: 'virtualmachineinstances.kubevirt.io', reason: 'no RBAC policy matched' } });
    expect(reads).toEqual([]);
  });

  it.each(['namespace=team-a', 'name=vm-1', 'namespace=Team_A&name=vm', 'namespace=team-a&name=..%2Fx', 'namespace=team-a&name=vm&node=x', ''])('a query that is not one VMI (%j) is 400 and asks nothing', async (qs) => {
    const res = await get(qs);
    expect(res.status).toBe(400);
    expect(reviews).toEqual([]);
    expect(reads).toEqual([]);
  });
});
