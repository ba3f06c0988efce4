import { describe, expect, it, vi } from 'vitest';
import { SseQueue } from './sse-queue';

vi.mock('server-only', () => ({}));

const drain = async (q: SseQueue) => {
  const out: string[] = [];
  for (let s = await q.next(); s !== null; s = await q.next()) out.push(s);
  return out;
};

describe('SseQueue', () => {
  it('hands chunks to a waiting reader directly, in order', async () => {
    const q = new SseQueue(10);
    const first = q.next();
    expect(q.push('a', 'END')).toBe(true);
    expect(await first).toBe('a');
    q.push('b', 'END');
    q.push('c', 'END');
    q.end('bye');
    expect(await drain(q)).toEqual(['b', 'c', 'bye']);
  });

  it('drops everything but the overflow message when a slow reader falls more than maxBytes behind', async () => {
    const q = new SseQueue(10);
    expect(q.push('12345', 'END')).toBe(true);
    expect(q.push('67890', 'END')).toBe(true);
    expect(q.queuedBytes).toBe(10);
    expect(q.push('x', 'END')).toBe(false);
    expect(q.isEnded).toBe(true);
    expect(q.push('y', 'END')).toBe(false);
    expect(await drain(q)).toEqual(['END']);
  });

  it('memory stays bounded however much is pushed', () => {
    const q = new SseQueue(1000);
    let accepted = 0;
    for (let i = 0; i < 100_000 && q.push('0123456789', 'END'); i++) accepted++;
    expect(accepted).toBe(100);
    expect(q.queuedBytes).toBeLessThanOrEqual(1000);
  });

  it('accepts one message bigger than the bound when nothing waits before it (a large relist)', async () => {
    const q = new SseQueue(10);
    expect(q.push('x'.repeat(50), 'END')).toBe(true);
    expect(q.push('y', 'END')).toBe(false);
    expect(await drain(q)).toEqual(['END']);
  });

  it('a reader that keeps up never overflows', async () => {
    const q = new SseQueue(10);
    for (let i = 0; i < 1000; i++) {
      expect(q.push('123456', 'END')).toBe(true);
      expect(await q.next()).toBe('123456');
    }
    q.end();
    expect(await q.next()).toBeNull();
  });
});
