import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchSessionEnd } from './session-end';

vi.mock('server-only', () => ({}));

const T0 = 1_800_000_000_000;

describe('watchSessionEnd', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('ends once, within a few seconds of sign-out', () => {
    const revoked = new Set<string>();
    const onEnd = vi.fn();
    watchSessionEnd({ sid: 's1', endsAt: T0 / 1000 + 3600 }, onEnd, { isRevoked: (sid) => revoked.has(sid) });
    vi.advanceTimersByTime(10_000);
    expect(onEnd).not.toHaveBeenCalled();
    revoked.add('s1');
    vi.advanceTimersByTime(5_000);
    expect(onEnd).toHaveBeenCalledExactlyOnceWith('revoked');
    vi.advanceTimersByTime(60_000);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ends within a few seconds of the session’s end (ID token expiry or absolute lifetime)', () => {
    const onEnd = vi.fn();
    watchSessionEnd({ sid: 's1', endsAt: T0 / 1000 + 60 }, onEnd, { isRevoked: () => false });
    vi.advanceTimersByTime(59_000);
    expect(onEnd).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000);
    expect(onEnd).toHaveBeenCalledExactlyOnceWith('expired');
  });

  it('stops watching when the stream closes first', () => {
    const onEnd = vi.fn();
    const stop = watchSessionEnd({ sid: 's1', endsAt: T0 / 1000 + 1 }, onEnd, { isRevoked: () => true });
    stop();
    vi.advanceTimersByTime(60_000);
    expect(onEnd).not.toHaveBeenCalled();
  });

  it('never ends without a session (kubeconfig mode)', () => {
    const onEnd = vi.fn();
    watchSessionEnd(undefined, onEnd);
    vi.advanceTimersByTime(24 * 3600_000);
    expect(onEnd).not.toHaveBeenCalled();
  });
});
