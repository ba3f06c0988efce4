import { describe, expect, it } from 'vitest';
import { formatAmount, formatQuantity, quotaFigures } from './units';

describe('human units', () => {
  it('formats bytes, cores and counts', () => {
    expect(formatAmount(30 * 2 ** 30, 'bytes')).toBe('30 GiB');
    expect(formatAmount(1.5 * 2 ** 30, 'bytes')).toBe('1.5 GiB');
    expect(formatAmount(512, 'bytes')).toBe('512 B');
    expect(formatAmount(-2 * 2 ** 20, 'bytes')).toBe('-2 MiB');
    expect(formatAmount(2, 'cores')).toBe('2');
    expect(formatAmount(0.5, 'cores')).toBe('0.5');
    expect(formatAmount(0.1 + 0.2, 'cores')).toBe('0.3');
    expect(formatAmount(0.125, 'cores')).toBe('0.125');
    expect(formatAmount(3, 'count')).toBe('3');
    expect(formatAmount(-1, 'count')).toBe('-1');
    expect(formatAmount(Number.NaN, 'count')).toBe('');
  });
  it('formats size quantities, leaving what is not one as it is', () => {
    expect(formatQuantity('4Gi')).toBe('4 GiB');
    expect(formatQuantity('512Mi')).toBe('512 MiB');
    expect(formatQuantity('1G')).toBe('953.7 MiB');
    expect(formatQuantity('lots')).toBe('lots');
    expect(formatQuantity(undefined)).toBe('');
  });
  it('works out what a quota has left and what is missing', () => {
    expect(quotaFigures({ adds: 2, used: 3, hard: 8 })).toEqual({ remaining: 5, after: 3, shortBy: 0 });
    expect(quotaFigures({ adds: 4, used: 6, hard: 8 })).toEqual({ remaining: 2, after: -2, shortBy: 2 });
    expect(quotaFigures({ adds: 1, used: 9, hard: 8 })).toEqual({ remaining: -1, after: -2, shortBy: 2 });
  });
});
