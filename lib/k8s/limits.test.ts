import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyedLimiter, LimitError, UserCaps } from './limits';

vi.mock('server-only', () => ({}));

describe('per-user caps', () => {
  it('refuses a stream past the per-user cap without touching other users, and frees on close', () => {
    const caps = new UserCaps({ streamsPerUser: 2, watchesPerUser: 10, watchesTotal: 100 });
    expect(caps.openStream('a')).toBe(true);
    expect(caps.openStream('a')).toBe(true);
    expect(caps.openStream('a')).toBe(false);
    expect(caps.openStream('b')).toBe(true);
    caps.closeStream('a');
    expect(caps.openStream('a')).toBe(true);
    expect(caps.usage('a').streams).toBe(2);
  });

  it('reserves all watches of a subscription or none, per user and in total', () => {
    const caps = new UserCaps({ streamsPerUser: 2, watchesPerUser: 10, watchesTotal: 15 });
    expect(caps.reserveWatches('a', 8)).toEqual({ ok: true });
    expect(caps.reserveWatches('a', 3)).toEqual({ ok: false, cap: 'user' });
    expect(caps.usage('a').watches).toBe(8);
    expect(caps.reserveWatches('b', 8)).toEqual({ ok: false, cap: 'total' });
    expect(caps.reserveWatches('b', 7)).toEqual({ ok: true });
    caps.releaseWatches('a', 8);
    caps.releaseWatches('a', 8); // a double release cannot drive counts negative
    expect(caps.usage('a')).toEqual({ streams: 0, watches: 0, total: 7 });
  });
});

describe('KeyedLimiter', () => {
  afterEach(() => vi.useRealTimers());

  it('lets perKey holders per user through; the next waits for a release; other users are not held up', async () => {
    const lim = new KeyedLimiter(2, 1000);
    const r1 = await lim.acquire('a');
    await lim.acquire('a');
    let third = false;
    const p = lim.acquire('a').then((r) => ((third = true), r));
    await Promise.resolve();
    expect(third).toBe(false);
    // Another user is not behind user a's line.
    const other = await lim.acquire('b');
    other();
    r1();
    r1(); // releasing twice frees one slot only
    (await p)();
    expect(third).toBe(true);
    expect(lim.size('a')).toEqual({ active: 1, waiting: 0 });
  });

  it('refuses after the bounded wait, and when the line is too long', async () => {
    vi.useFakeTimers();
    const lim = new KeyedLimiter(1, 500, 1);
    await lim.acquire('a');
    const waited = lim.acquire('a');
    await expect(lim.acquire('a')).rejects.toMatchObject({ reason: 'queue' });
    vi.advanceTimersByTime(501);
    await expect(waited).rejects.toBeInstanceOf(LimitError);
    expect(lim.size('a')).toEqual({ active: 1, waiting: 0 });
  });

  it('an aborted wait leaves the line', async () => {
    const lim = new KeyedLimiter(1, 10_000);
    const release = await lim.acquire('a');
    const ac = new AbortController();
    const waiting = lim.acquire('a', ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    expect(lim.size('a')).toEqual({ active: 0, waiting: 0 });
  });
});
