import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest } from '@/lib/api/test-requests';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { GET } from './route';

vi.mock('server-only', () => ({}));
let user = 'admin';
vi.mock('@/lib/auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: user, groups: [], token: 't' }, displayName: user }),
}));
const asked: unknown[] = [];
vi.mock('@/lib/k8s/client', () => ({
  clientFor: async (identity: { username: string }) => ({
    identity,
    json: async (req: { body: { spec: { resourceAttributes: { resource: string } } } }) => {
      asked.push(req.body.spec.resourceAttributes);
      // dev-a may make namespaces here (a sandbox might allow it) but not bind roles.
      const allowed = identity.username === 'admin' || req.body.spec.resourceAttributes.resource === 'namespaces';
      return { status: { allowed, ...(allowed ? {} : { reason: 'no RBAC policy matched' }) } };
    },
  }),
}));

const get = () => GET(portalRequest('GET', '/api/admin/access'), { params: Promise.resolve({}) });

beforeEach(() => {
  portalEnv();
  asked.length = 0;
  forgetAccessReviews();
});

describe('GET /api/admin/access', () => {
  it('asks the user\'s own reviews: create namespaces and create rolebindings, cluster-wide', async () => {
    user = 'admin';
    expect(await (await get()).json()).toEqual({ admin: true });
    expect(asked).toEqual([
      { verb: 'create', group: '', resource: 'namespaces' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
    ]);
  });

  it('says which review said no, and why', async () => {
    user = 'dev-a';
    expect(await (await get()).json()).toEqual({ admin: false, denied: { verb: 'create', resource: 'rolebindings.rbac.authorization.k8s.io', reason: 'no RBAC policy matched' } });
  });
});
