import { describe, expect, it } from 'vitest';
import { WATCH_RETRY_CAP_MS, watchRetryDelayMs } from './watch-backoff';

describe('watchRetryDelayMs', () => {
  it('doubles from 1 s and never waits longer than the cap, however long the outage', () => {
    const most = (n: number) => watchRetryDelayMs(n, () => 1);
    expect([1, 2, 3].map(most)).toEqual([1000, 2000, 4000]);
    expect(most(4)).toBe(WATCH_RETRY_CAP_MS);
    expect(most(60)).toBe(WATCH_RETRY_CAP_MS);
  });

  it('spreads the retries over the upper half of the wait', () => {
    expect(watchRetryDelayMs(3, () => 0)).toBe(2000);
    expect(watchRetryDelayMs(60, () => 0)).toBe(WATCH_RETRY_CAP_MS / 2);
  });
});
