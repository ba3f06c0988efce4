import { formatBytes, parseQuantity } from '@/lib/kubevirt/quantity';

// Amounts as people read them: bytes in binary units, cores with at most three decimals, counts whole. A negative
// amount (a quota already over its limit) keeps its sign.

export type AmountUnit = 'bytes' | 'cores' | 'count';

export function formatAmount(n: number, unit: AmountUnit): string {
  if (!Number.isFinite(n)) return '';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  switch (unit) {
    case 'bytes':
      return sign + formatBytes(a);
    case 'cores':
      return sign + String(Number(a.toFixed(3)));
    case 'count':
      return sign + String(Math.round(a));
  }
}

/** A size quantity ("4Gi", "500M") in binary units, or the text as it is when it is not one. */
export function formatQuantity(q: string | undefined): string {
  if (!q) return '';
  const n = parseQuantity(q);
  return n === undefined ? q : formatBytes(n);
}

export interface QuotaFigures {
  // What is left before the VM: hard - used.
  remaining: number;
  // What would be left after it: remaining - adds (negative when it does not fit).
  after: number;
  // How much more the VM needs than what is left (0 when it fits).
  shortBy: number;
}

export function quotaFigures(line: { adds: number; used: number; hard: number }): QuotaFigures {
  const remaining = line.hard - line.used;
  const after = remaining - line.adds;
  return { remaining, after, shortBy: Math.max(0, -after) };
}
