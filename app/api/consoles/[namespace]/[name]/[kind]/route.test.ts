import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import { GET } from './route';

vi.mock('server-only', () => ({}));
const who = vi.fn();
vi.mock('@/lib/auth/identity', () => ({ currentIdentity: () => who() }));
vi.mock('@/lib/k8s/client', () => ({ clientFor: async (identity: unknown) => ({ identity }) }));
const reviewAccess = vi.fn();
vi.mock('@/lib/k8s/access', () => ({ reviewAccess: (client: unknown, check: unknown) => reviewAccess(client, check) }));

const get = (ns: string, name: string, kind: string) => GET(portalRequest('GET', `/api/consoles/${ns}/${name}/${kind}`), routeParams({ namespace: ns, name, kind }));

beforeEach(() => {
  portalEnv();
  who.mockReset().mockResolvedValue({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' });
  reviewAccess.mockReset().mockImplementation(async (_c: unknown, check: object) => ({ ...check, allowed: true }));
});

describe('GET /api/consoles/{ns}/{name}/{kind}', () => {
  it('says the console may be opened, and from which origin', async () => {
    const res = await get('team-a', 'vm-1', 'serial');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ allowed: true, origin: 'http://localhost:3000' });
    expect(reviewAccess.mock.calls[0]![1]).toEqual({ verb: 'get', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource: 'console', namespace: 'team-a', name: 'vm-1' });
    await get('team-a', 'vm-1', 'vnc');
    expect(reviewAccess.mock.calls[1]![1]).toMatchObject({ subresource: 'vnc' });
  });

  it('is 403 when the review denies it, 401 without a session, 400 for bad segments', async () => {
    reviewAccess.mockImplementation(async (_c: unknown, check: object) => ({ ...check, allowed: false, reason: 'no RBAC policy matched' }));
    const denied = await get('team-a', 'vm-1', 'serial');
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatchObject({ code: 'forbidden', details: { reason: 'no RBAC policy matched' } });
    who.mockResolvedValue({ ok: false, reason: 'revoked' });
    expect((await get('team-a', 'vm-1', 'serial')).status).toBe(401);
    expect((await get('Team_A', 'vm-1', 'serial')).status).toBe(400);
    expect((await get('team-a', 'vm-1', 'ssh')).status).toBe(400);
  });
});
