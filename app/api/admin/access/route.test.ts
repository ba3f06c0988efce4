import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest } from '@/lib/api/test-requests';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { GET } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('admin'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
// dev-a may make namespaces here (a sandbox might allow it) but not bind roles.
k8s.allowed = (attrs, username) => username === 'admin' || attrs.resource === 'namespaces';
k8s.denial = 'no RBAC policy matched';

const get = () => GET(portalRequest('GET', '/api/admin/access'), { params: Promise.resolve({}) });

beforeEach(() => {
  portalEnv();
  k8s.reset();
  forgetAccessReviews();
});

describe('GET /api/admin/access', () => {
  it('asks the user\'s own reviews: create namespaces and create rolebindings, cluster-wide', async () => {
    k8s.user = 'admin';
    expect(await (await get()).json()).toEqual({ admin: true });
    expect(k8s.reviews).toEqual([
      { verb: 'create', group: '', resource: 'namespaces' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
    ]);
  });

  it('says which review said no, and why', async () => {
    k8s.user = 'dev-a';
    expect(await (await get()).json()).toEqual({ admin: false, denied: { verb: 'create', resource: 'rolebindings.rbac.authorization.k8s.io', reason: 'no RBAC policy matched' } });
  });
});
