import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../shared/live-protocol';
import type { K8sClient } from './client';

vi.mock('server-only', () => ({}));

// The watch and the fresh namespace check are the boundary: each test says what the watch emits and whether the
// namespace is still the user's.
const boundary = vi.hoisted(() => ({ emitted: [] as StreamEvent[], still: true, asked: [] as string[] }));
vi.mock('./watch', () => ({
  followScope: async (o: { emit: (ev: StreamEvent) => void }) => {
    for (const ev of boundary.emitted) o.emit(ev);
  },
}));
vi.mock('./namespaces', () => ({
  stillWorkable: async (_client: K8sClient, ns: string) => {
    boundary.asked.push(ns);
    return boundary.still;
  },
}));

const { subscriptionContext } = await import('./streams');

const refused: StreamEvent = { type: 'ERROR', scope: 'team-x', error: { code: 'forbidden', message: 'Not allowed to watch virtualmachines.kubevirt.io in namespace "team-x".' }, final: true };

async function follow(namespaces: string[], scope: string): Promise<StreamEvent[]> {
  const got: StreamEvent[] = [];
  const ctx = subscriptionContext({ identity: { username: 'dev-a', groups: [] } } as unknown as K8sClient, 'req-1');
  await ctx.follow({
    op: { op: 'subscribe', id: 's1.1', resource: 'virtualmachines', namespaces, rv: {} },
    scope,
    signal: new AbortController().signal,
    emit: (ev) => got.push(ev),
    onWatching: () => undefined,
  });
  await vi.waitFor(() => expect(got.length).toBe(boundary.emitted.length));
  return got;
}

describe('subscriptionContext: a refused watch of a namespace the portal chose', () => {
  beforeEach(() => {
    boundary.emitted = [refused];
    boundary.asked = [];
    boundary.still = true;
  });

  it('no longer the user\'s: told to the browser as gone, so it lists again without it', async () => {
    boundary.still = false;
    const [ev] = await follow([], 'team-x');
    expect(boundary.asked).toEqual(['team-x']);
    expect(ev).toMatchObject({ type: 'ERROR', scope: 'team-x', final: true, error: { code: 'gone' } });
  });

  it('still the user\'s (allowed to list, not to watch): the refusal goes on as it is', async () => {
    expect(await follow([], 'team-x')).toEqual([refused]);
    expect(boundary.asked).toEqual(['team-x']);
  });

  it('a namespace the user asked for, or a passing error: not asked about, passed on as it is', async () => {
    expect(await follow(['team-x', 'team-y'], 'team-x')).toEqual([refused]);
    const passing: StreamEvent = { ...refused, final: false };
    boundary.emitted = [passing];
    expect(await follow([], 'team-x')).toEqual([passing]);
    expect(boundary.asked).toEqual([]);
  });
});
