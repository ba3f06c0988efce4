import { describe, expect, it } from 'vitest';
import { combineLive, type LiveStatus } from './live-status';

describe('combineLive', () => {
  it('is live only when every list is live', () => {
    expect(combineLive(['live', 'live'])).toBe('live');
    expect(combineLive(['live', 'connecting'])).toBe('connecting');
    expect(combineLive(['reconnecting', 'connecting'])).toBe('reconnecting');
    expect(combineLive([])).toBe('live');
  });

  it('an error wins, and a stopped list over one that is retrying', () => {
    const retrying: LiveStatus = { error: { code: 'upstream_error', message: 'etcd', retrying: true } };
    const stopped: LiveStatus = { error: { code: 'forbidden', message: 'no', retrying: false } };
    expect(combineLive(['live', retrying, 'reconnecting'])).toBe(retrying);
    expect(combineLive([retrying, stopped, 'live'])).toBe(stopped);
  });
});
