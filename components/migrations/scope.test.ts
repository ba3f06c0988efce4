import { describe, expect, it } from 'vitest';
import { migrationScope, seesAny } from './scope';
import type { AccessCheck } from '@/lib/shared/access-review';

function route(allowed: (c: AccessCheck) => boolean) {
  const asked: AccessCheck[][] = [];
  return {
    asked,
    post: async (checks: AccessCheck[]) => {
      asked.push(checks);
      return checks.map((c) => ({ ...c, allowed: allowed(c) }));
    },
  };
}

describe('where the user sees migrations', () => {
  it('an admin: cluster-wide, from one review', async () => {
    const r = route(() => true);
    expect(await migrationScope(['a', 'b'], r.post)).toEqual({ clusterWide: true, namespaces: [] });
    expect(r.asked).toEqual([[{ verb: 'list', group: 'kubevirt.io', resource: 'virtualmachineinstancemigrations' }]]);
  });

  it('a developer: the namespaces where a review allows listing them', async () => {
    const r = route((c) => c.namespace === 'team-a' || c.namespace === 'team-c');
    const s = await migrationScope(['team-c', 'team-b', 'team-a', 'team-a'], r.post);
    expect(s).toEqual({ clusterWide: false, namespaces: ['team-a', 'team-c'] });
    expect(seesAny(s)).toBe(true);
  });

  it('nobody: nowhere, and the nav link is not shown', async () => {
    const s = await migrationScope(['team-a'], route(() => false).post);
    expect(s).toEqual({ clusterWide: false, namespaces: [] });
    expect(seesAny(s)).toBe(false);
    expect(seesAny(undefined)).toBe(false);
  });
});
