import { describe, expect, it } from 'vitest';
import { accessKey, VM_ACTIONS } from '../kubevirt/actions';
import { MAX_ACCESS_CHECKS, type AccessCheck } from '../shared/access-review';
import { askAccess, type PostChecks } from './access-batch';

const attrs = Object.values(VM_ACTIONS).map((d) => d.access);
const namespaces = Array.from({ length: 40 }, (_, i) => `team-${i}`);

// A fake access route in front of a fake RBAC: refuses more checks than the route accepts, as the real one does.
function route(allowed: (c: AccessCheck) => boolean) {
  const calls: number[] = [];
  const post: PostChecks = async (checks) => {
    calls.push(checks.length);
    if (checks.length > MAX_ACCESS_CHECKS) throw new Error('400: too many checks');
    return checks.map((c) => ({ ...c, allowed: allowed(c) }));
  };
  return { post, calls };
}

describe('askAccess', () => {
  it('40 namespaces × every action: all answered, no request over the route\'s limit', async () => {
    // A developer bound per namespace: VM subresources everywhere, pause only in even namespaces, delete nowhere.
    const rbac = (c: AccessCheck) => {
      if (!c.namespace) return false;
      if (c.resource === 'virtualmachineinstances') return Number(c.namespace.split('-')[1]) % 2 === 0;
      return c.verb === 'update';
    };
    const { post, calls } = route(rbac);
    const answers = await askAccess(namespaces, attrs, post);
    for (const ns of namespaces) {
      for (const a of attrs) expect(answers.get(accessKey(ns, a)), `${ns} ${a.resource}/${a.subresource ?? a.verb}`).toBe(rbac({ ...a, namespace: ns }));
    }
    expect(Math.max(...calls)).toBeLessThanOrEqual(MAX_ACCESS_CHECKS);
    // 8 distinct checks cluster-wide, then 8 × 40 = 320 per namespace in two requests.
    expect(calls).toEqual([8, 200, 120]);
  });

  it('an admin allowed cluster-wide is answered by one request however many namespaces', async () => {
    const { post, calls } = route(() => true);
    const many = Array.from({ length: 300 }, (_, i) => `ns-${i}`);
    const answers = await askAccess(many, attrs, post);
    expect(calls).toEqual([8]);
    expect(answers.size).toBe(300 * 8);
    expect([...answers.values()].every(Boolean)).toBe(true);
  });

  it('asks per namespace only for what is not allowed cluster-wide, and deduplicates namespaces', async () => {
    const { post, calls } = route((c) => c.verb === 'delete' || Boolean(c.namespace));
    const answers = await askAccess(['a', 'b', 'a'], attrs, post);
    // delete virtualmachines and delete virtualmachineinstancemigrations are allowed everywhere: 6 left × 2.
    expect(calls).toEqual([8, 12]);
    expect(answers.get(accessKey('b', VM_ACTIONS.start.access))).toBe(true);
    expect(answers.get(accessKey('a', VM_ACTIONS.delete.access))).toBe(true);
  });

  it('a failed request fails the whole answer (the menu shows it), and nothing is asked for no namespaces', async () => {
    await expect(askAccess(namespaces, attrs, async () => Promise.reject(new Error('502')))).rejects.toThrow('502');
    const { post, calls } = route(() => true);
    expect((await askAccess([], attrs, post)).size).toBe(0);
    expect(calls).toEqual([]);
  });
});
