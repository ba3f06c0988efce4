import { describe, expect, it } from 'vitest';
import { fmtMs, parseVmRssKiB, pct } from './support.ts';

describe('bench support', () => {
  it('pct takes the nearest rank and leaves its input alone', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(pct(xs, 50)).toBe(3);
    expect(pct(xs, 99)).toBe(5);
    expect(pct(xs, 100)).toBe(5);
    expect(pct([7], 99)).toBe(7);
    // 200 samples: p99 is the second largest, not the largest.
    expect(pct(Array.from({ length: 200 }, (_, i) => i), 99)).toBe(198);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(() => pct([], 50)).toThrow();
  });

  it('fmtMs', () => {
    expect(fmtMs(0.4567)).toBe('0.46 ms');
    expect(fmtMs(12.34)).toBe('12.3 ms');
    expect(fmtMs(2500)).toBe('2.50 s');
  });

  it('parseVmRssKiB reads /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  300000 kB\nVmRSS:\t  254312 kB\nRssAnon:\t  200000 kB\n';
    expect(parseVmRssKiB(status)).toBe(254312);
    expect(() => parseVmRssKiB('Name:\tzombie\n')).toThrow(/VmRSS/);
  });
});
