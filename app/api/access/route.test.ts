import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromPortal, portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { POST } from './route';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' }),
}));
vi.mock('@/lib/k8s/client', () => ({ clientFor: async (identity: unknown) => ({ identity }) }));
const reviewAll = vi.fn(async (_client: unknown, checks: unknown[]) => checks.map((c) => ({ ...(c as object), allowed: true })));
vi.mock('@/lib/k8s/access', () => ({ reviewAll: (client: unknown, checks: unknown[]) => reviewAll(client, checks) }));

const post = (body: BodyInit) => POST(portalRequest('POST', '/api/access', { headers: { ...fromPortal, 'content-type': 'application/json' }, body }), routeParams({}));

beforeEach(() => {
  portalEnv();
  reviewAll.mockClear();
});

describe('POST /api/access', () => {
  it('a broken body is 400 in the error shape, not 500', async () => {
    const res = await post('{"checks": [');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
    expect(reviewAll).not.toHaveBeenCalled();
  });

  it('an empty body is 400', async () => expect((await post('')).status).toBe(400));

  it('a body over 1 MiB is 413', async () => {
    const res = await post(JSON.stringify({ checks: [], pad: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('a valid body is reviewed', async () => {
    const res = await post(JSON.stringify({ checks: [{ verb: 'get', group: 'kubevirt.io', resource: 'virtualmachines', namespace: 'team-a' }] }));
    expect(res.status).toBe(200);
    expect((await res.json()).results[0]).toMatchObject({ verb: 'get', allowed: true });
  });
});
