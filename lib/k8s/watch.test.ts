import { getEventListeners } from 'node:events';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { K8sClient } from './client';
import { followScope } from './watch';
import { resources } from '../shared/resources';

vi.mock('server-only', () => ({}));

afterEach(() => {
  vi.useRealTimers();
});

describe('followScope', () => {
  it('leaves no abort listener behind for each pause between watches that the API server ends at once', async () => {
    vi.useFakeTimers();
    let watches = 0;
    // Every watch ends as soon as it opens, so each is followed by a one-second pause.
    const client = { stream: async () => (watches++, Readable.from([])) } as unknown as K8sClient;
    const ac = new AbortController();
    const done = followScope({ client, def: resources.virtualmachines, scope: 'team-a', resourceVersion: '1', signal: ac.signal, emit: () => undefined });
    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(1000);
    expect(watches).toBeGreaterThanOrEqual(20);
    expect(getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1);
    ac.abort();
    await done;
  });
});
