import { describe, expect, it } from 'vitest';
import { REFUSALS_AFTER_OUTAGE, refusalIsFinal, WATCH_RETRY_CAP_MS, watchRetryDelayMs } from './watch-backoff';

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

describe('refusalIsFinal', () => {
  it('believes a refusal of a healthy API server at once', () => {
    expect(refusalIsFinal(0, 0)).toBe(true);
  });

  it('retries a refusal right after an outage (a restarted server not yet synced), a bounded number of times', () => {
    expect(refusalIsFinal(4, 0)).toBe(false);
    expect(refusalIsFinal(5, REFUSALS_AFTER_OUTAGE - 1)).toBe(false);
    expect(refusalIsFinal(6, REFUSALS_AFTER_OUTAGE)).toBe(true);
  });
});
