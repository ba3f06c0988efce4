import { describe, expect, it } from 'vitest';
import { wholeQuantity } from './quantity.ts';

describe('wholeQuantity', () => {
  it('gives whole bytes, or millicores with milli', () => {
    expect(wholeQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(wholeQuantity('64M')).toBe(64e6);
    expect(wholeQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(wholeQuantity(4096)).toBe(4096);
    expect(wholeQuantity('100m', true)).toBe(100);
    expect(wholeQuantity('2', true)).toBe(2000);
  });

  it('rounds to the nearest whole number', () => {
    expect([wholeQuantity('1.4'), wholeQuantity('1.5'), wholeQuantity('1500m')]).toEqual([1, 2, 2]);
  });

  it('is zero when absent and throws when malformed', () => {
    expect(wholeQuantity(undefined)).toBe(0);
    expect(() => wholeQuantity('12 parsecs')).toThrow('bad quantity 12 parsecs');
    expect(() => wholeQuantity('1K')).toThrow('bad quantity 1K');
  });
});
