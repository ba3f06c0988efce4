// The benchmark command's one table: each figure with its baseline from the same run where there is one, the ratio,
// the budget it is held to (DESIGN.md, issue 13) and whether it met it. Pure, so the table is unit-tested.

export type Unit = 'ms' | 'MiB' | 'MB/s' | 'count';

/**
 * A budget: `ratio-max`/`ratio-min` hold value ÷ baseline to at most/at least `limit`; `max`/`min` hold the value
 * itself (in the figure's unit).
 */
export interface Budget {
  kind: 'ratio-max' | 'ratio-min' | 'max' | 'min';
  limit: number;
}

export interface Figure {
  part: string;
  name: string;
  value: number;
  unit: Unit;
  baseline?: number;
  /** What the baseline is, when the figure's name does not say. */
  baselineNote?: string;
  budget?: Budget;
  note?: string;
}

export type Verdict = 'met' | 'not met' | '';

export function ratioOf(f: Figure): number | undefined {
  return f.baseline === undefined || f.baseline === 0 ? undefined : f.value / f.baseline;
}

export function verdictOf(f: Figure): Verdict {
  const b = f.budget;
  if (!b) return '';
  const r = ratioOf(f);
  switch (b.kind) {
    case 'ratio-max':
      return r === undefined ? '' : r <= b.limit ? 'met' : 'not met';
    case 'ratio-min':
      return r === undefined ? '' : r >= b.limit ? 'met' : 'not met';
    case 'max':
      return f.value <= b.limit ? 'met' : 'not met';
    case 'min':
      return f.value >= b.limit ? 'met' : 'not met';
  }
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ms':
      if (value < 10) return `${value.toFixed(2)} ms`;
      if (value < 1000) return `${value.toFixed(1)} ms`;
      return `${(value / 1000).toFixed(2)} s`;
    case 'MiB':
      return `${value.toFixed(1)} MiB`;
    case 'MB/s':
      return `${value.toFixed(1)} MB/s`;
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export function formatBudget(b: Budget | undefined, unit: Unit): string {
  if (!b) return '';
  switch (b.kind) {
    case 'ratio-max':
      return `≤ ${b.limit}x`;
    case 'ratio-min':
      return `≥ ${b.limit}x`;
    case 'max':
      return `≤ ${formatValue(b.limit, unit)}`;
    case 'min':
      return `≥ ${formatValue(b.limit, unit)}`;
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The figures as one Markdown table (which also reads as plain text on a terminal). */
export function markdownTable(figures: Figure[]): string {
  const head = ['part', 'figure', 'value', 'baseline', 'ratio', 'budget', 'met'];
  const rows = figures.map((f) => {
    const r = ratioOf(f);
    const baseline = f.baseline === undefined ? '' : `${formatValue(f.baseline, f.unit)}${f.baselineNote ? ` (${f.baselineNote})` : ''}`;
    const name = f.note ? `${f.name} (${f.note})` : f.name;
    return [f.part, name, formatValue(f.value, f.unit), baseline, r === undefined ? '' : `${r.toFixed(2)}x`, formatBudget(f.budget, f.unit), verdictOf(f)];
  });
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

/** What the .json results file holds: the figures with their ratio and verdict worked out, and the run's context. */
export function resultsJson(figures: Figure[], context: Record<string, unknown>): string {
  return `${JSON.stringify({ ...context, figures: figures.map((f) => ({ ...f, ratio: ratioOf(f), verdict: verdictOf(f) || undefined })) }, null, 2)}\n`;
}
