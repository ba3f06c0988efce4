import { parseQuantity } from '@/lib/kubevirt/quantity';
import type { InstancetypeOption } from '@/lib/shared/create-api';

// Instance types as KubeVirt's console shows them: grouped by series (u1, o1, cx1, m1, n1, rt1), the common ones
// first, each series' sizes from the smallest up (nano, micro, small, medium, large, xlarge, 2xlarge...).

export interface SeriesGroup {
  series: string;
  sizes: InstancetypeOption[];
}

// The series classes KubeVirt's common-instancetypes define, in the console's order.
export const KNOWN_SERIES = ['u', 'o', 'cx', 'm', 'n', 'rt', 'd'] as const;
export type SeriesClass = (typeof KNOWN_SERIES)[number];

/** "cx1" → "cx"; undefined for a series of some other naming. */
export function seriesClass(series: string): SeriesClass | undefined {
  const c = series.replace(/\d+$/, '');
  return (KNOWN_SERIES as readonly string[]).includes(c) ? (c as SeriesClass) : undefined;
}

const rank = (series: string) => {
  const c = seriesClass(series);
  return c === undefined ? KNOWN_SERIES.length : KNOWN_SERIES.indexOf(c);
};

const bySize = (a: InstancetypeOption, b: InstancetypeOption) =>
  a.cpu - b.cpu || (parseQuantity(a.memory) ?? 0) - (parseQuantity(b.memory) ?? 0) || a.name.localeCompare(b.name);

export function groupInstancetypes(list: readonly InstancetypeOption[]): SeriesGroup[] {
  const groups = new Map<string, InstancetypeOption[]>();
  for (const it of list) {
    const series = it.series || it.name.split('.')[0] || it.name;
    groups.set(series, [...(groups.get(series) ?? []), it]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([series, sizes]) => ({ series, sizes: [...sizes].sort(bySize) }));
}

/** The series holding the instance type, or the first series. */
export function seriesOf(groups: readonly SeriesGroup[], instancetype: string | undefined): string | undefined {
  return groups.find((g) => g.sizes.some((s) => s.name === instancetype))?.series ?? groups[0]?.series;
}

/** The size the wizard suggests: u1.medium when offered (the console's default), else the first of the first series. */
export function suggestedInstancetype(list: readonly InstancetypeOption[]): string | undefined {
  return list.find((i) => i.name === 'u1.medium')?.name ?? groupInstancetypes(list)[0]?.sizes[0]?.name;
}
