import { describe, expect, it } from 'vitest';
import { parseMilliQuantity, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it('reads plain numbers, signs and fractions', () => {
    expect(['0', '12', '+12', '-12', '1.5', '.5', '1.', '-.25'].map(parseQuantity)).toEqual([0, 12, 12, -12, 1.5, 0.5, 1, -0.25]);
  });

  it('reads the decimal SI suffixes', () => {
    expect(['1n', '1u', '500m', '1k', '1M', '2G', '1T', '1P', '1E'].map(parseQuantity)).toEqual([1e-9, 1e-6, 0.5, 1e3, 1e6, 2e9, 1e12, 1e15, 1e18]);
  });

  it('reads the binary suffixes', () => {
    expect(['1Ki', '128Mi', '1Gi', '1Ti', '1Pi', '1Ei'].map(parseQuantity)).toEqual([2 ** 10, 128 * 2 ** 20, 2 ** 30, 2 ** 40, 2 ** 50, 2 ** 60]);
    expect(parseQuantity('1.5Ki')).toBe(1536);
    expect(parseQuantity('-1Gi')).toBe(-(2 ** 30));
  });

  it('reads decimal exponents, either case, either sign', () => {
    expect(['1e3', '1E3', '1.5e3', '2e+2', '5e-1', '-1e3'].map(parseQuantity)).toEqual([1000, 1000, 1500, 200, 0.5, -1000]);
  });

  it('scales the decimal text, so results are exact where a float product is not', () => {
    expect(parseQuantity('1.1G')).toBe(1_100_000_000);
    expect(parseQuantity('0.3k')).toBe(300);
  });

  it('takes finite numbers as they are', () => {
    expect([parseQuantity(3), parseQuantity(-0.5), parseQuantity(1e21)]).toEqual([3, -0.5, 1e21]);
    expect([parseQuantity(Number.NaN), parseQuantity(Number.POSITIVE_INFINITY)]).toEqual([undefined, undefined]);
  });

  it('tolerates surrounding blanks', () => {
    expect(parseQuantity(' 2Gi ')).toBe(2 * 2 ** 30);
  });

  it('refuses what Kubernetes refuses', () => {
    for (const bad of ['', ' ', 'Gi', '-', '.', '1K', '1KB', '1gi', '1 Gi', '1e', '1e1.5', '1e3Mi', '1.5.5', '0x10', '1Mi1', '--1', 'bogus']) {
      expect(parseQuantity(bad), bad).toBeUndefined();
    }
  });

  it('answers undefined for absent and non-quantity values', () => {
    expect([parseQuantity(undefined), parseQuantity(null), parseQuantity({}), parseQuantity(true)]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('parseMilliQuantity', () => {
  it('gives thousandths, exactly', () => {
    expect(['100m', '500m', '1', '1.1', '1100m', '2k', '1Ki', '1e-3', '1u'].map(parseMilliQuantity)).toEqual([100, 500, 1000, 1100, 1100, 2e6, 1024e3, 1, 0.001]);
    expect(parseMilliQuantity(0.25)).toBe(250);
  });

  it('answers undefined where parseQuantity does', () => {
    expect([parseMilliQuantity('bogus'), parseMilliQuantity(undefined)]).toEqual([undefined, undefined]);
  });
});
