import { describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { GET } from './route';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' }),
}));
vi.mock('@/lib/k8s/client', () => ({ clientFor: async (identity: unknown) => ({ identity }) }));
const followScope = vi.fn(async () => {});
vi.mock('@/lib/k8s/watch', () => ({ followScope: () => followScope() }));

const watch = (query: string) => {
  portalEnv();
  return GET(portalRequest('GET', `/api/watch?resource=virtualmachines&${query}`), routeParams({}));
};

describe('GET /api/watch input', () => {
  it('a broken rv is 400 in the error shape, not 500', async () => {
    const res = await watch('rv=%7B%22team-a');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', details: { parameter: 'rv' } });
  });

  it('an rv whose scopes are not namespace names is 400', async () => {
    const res = await watch(`rv=${encodeURIComponent(JSON.stringify({ '../x': '1' }))}`);
    expect(res.status).toBe(400);
    expect(followScope).not.toHaveBeenCalled();
  });
});
