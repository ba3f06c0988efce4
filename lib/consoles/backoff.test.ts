import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, top))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters each wait between half and all of its step', () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(10, () => 0)).toBe(15000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, Math.random);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('takes nonsense attempts as the first', () => {
    expect(backoffDelay(0, () => 0.999999)).toBe(1000);
    expect(backoffDelay(-3, () => 0.999999)).toBe(1000);
    expect(backoffDelay(1e9, () => 0.999999)).toBe(30000);
  });
});
