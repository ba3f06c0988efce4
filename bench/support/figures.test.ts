import { describe, expect, it } from 'vitest';
import { formatBudget, formatValue, markdownTable, ratioOf, resultsJson, verdictOf, type Figure } from './figures';

const listP99: Figure = { part: 'list-route', name: 'p99 at 1000 VMs', value: 26, unit: 'ms', baseline: 20, budget: { kind: 'ratio-max', limit: 1.3 } };

describe('verdictOf', () => {
  it('holds a ratio budget to value over baseline', () => {
    expect(verdictOf(listP99)).toBe('met');
    expect(verdictOf({ ...listP99, value: 26.2 })).toBe('not met');
    expect(verdictOf({ part: 'console', name: 'vnc', value: 80, unit: 'MB/s', baseline: 100, budget: { kind: 'ratio-min', limit: 0.9 } })).toBe('not met');
    expect(verdictOf({ part: 'console', name: 'vnc', value: 95, unit: 'MB/s', baseline: 100, budget: { kind: 'ratio-min', limit: 0.9 } })).toBe('met');
  });

  it('holds an absolute budget to the value alone', () => {
    expect(verdictOf({ part: 'create', name: 'to console', value: 19_000, unit: 'ms', baseline: 30_000, budget: { kind: 'max', limit: 20_000 } })).toBe('met');
    expect(verdictOf({ part: 'create', name: 'to console', value: 21_000, unit: 'ms', budget: { kind: 'max', limit: 20_000 } })).toBe('not met');
    expect(verdictOf({ part: 'x', name: 'y', value: 3, unit: 'count', budget: { kind: 'min', limit: 4 } })).toBe('not met');
  });

  it('has no verdict without a budget, or for a ratio budget without a baseline', () => {
    expect(verdictOf({ part: 'list-page', name: 'time to first row', value: 900, unit: 'ms' })).toBe('');
    expect(verdictOf({ ...listP99, baseline: undefined })).toBe('');
    expect(ratioOf({ ...listP99, baseline: 0 })).toBeUndefined();
  });
});

describe('formatting', () => {
  it('writes values in their unit', () => {
    expect(formatValue(1.234, 'ms')).toBe('1.23 ms');
    expect(formatValue(123.45, 'ms')).toBe('123.5 ms');
    expect(formatValue(12_345, 'ms')).toBe('12.35 s');
    expect(formatValue(150.04, 'MiB')).toBe('150.0 MiB');
    expect(formatValue(7, 'count')).toBe('7');
    expect(formatBudget({ kind: 'max', limit: 1000 }, 'ms')).toBe('≤ 1.00 s');
    expect(formatBudget({ kind: 'ratio-min', limit: 0.9 }, 'MB/s')).toBe('≥ 0.9x');
  });

  it('makes one Markdown row per figure, pipes escaped', () => {
    const table = markdownTable([listP99, { part: 'list-page', name: 'a | b', value: 3, unit: 'count', note: 'n=2' }]).split('\n');
    expect(table[0]).toBe('| part | figure | value | baseline | ratio | budget | met |');
    expect(table[2]).toBe('| list-route | p99 at 1000 VMs | 26.0 ms | 20.0 ms | 1.30x | ≤ 1.3x | met |');
    expect(table[3]).toBe('| list-page | a \\| b (n=2) | 3 |  |  |  |  |');
  });

  it('puts the ratio and verdict into the JSON beside the run context', () => {
    const json = JSON.parse(resultsJson([listP99], { startedAt: 'now' }));
    expect(json.startedAt).toBe('now');
    expect(json.figures[0]).toMatchObject({ name: 'p99 at 1000 VMs', ratio: 1.3, verdict: 'met' });
  });
});
