import { describe, expect, it } from 'vitest';
import { parseExposition, parseSampleLine } from './exposition';

describe('Prometheus text exposition', () => {
  it('reads samples with labels, skipping comments, and only the metrics asked for', () => {
    const text = [
      '# HELP kubevirt_vmi_migration_data_processed_bytes The total Guest OS data processed and migrated to the new VM.',
      '# TYPE kubevirt_vmi_migration_data_processed_bytes gauge',
      'kubevirt_vmi_migration_data_processed_bytes{name="vm-1",namespace="team-a",node="worker-1"} 1.048576e+06',
      'kubevirt_vmi_migration_data_processed_bytes{name="vm-2",namespace="team-b",node="worker-2"} 42',
      'other_metric{name="vm-1"} 7',
      '',
      'kubevirt_vmi_migration_data_remaining_bytes{namespace="team-a",name="vm-1"} 2048 1700000000000',
      '# EOF',
    ].join('\n');
    const wanted = new Set(['kubevirt_vmi_migration_data_processed_bytes', 'kubevirt_vmi_migration_data_remaining_bytes']);
    expect(parseExposition(text, wanted)).toEqual([
      { name: 'kubevirt_vmi_migration_data_processed_bytes', labels: { name: 'vm-1', namespace: 'team-a', node: 'worker-1' }, value: 1048576 },
      { name: 'kubevirt_vmi_migration_data_processed_bytes', labels: { name: 'vm-2', namespace: 'team-b', node: 'worker-2' }, value: 42 },
      { name: 'kubevirt_vmi_migration_data_remaining_bytes', labels: { namespace: 'team-a', name: 'vm-1' }, value: 2048 },
    ]);
    expect(parseExposition(text)).toHaveLength(4);
  });

  it('reads escapes in label values, spaces, a trailing comma, no labels, and the special values', () => {
    expect(parseSampleLine('m{a="x\\"y",b="c\\\\d",c="line\\nnext",} 1')).toEqual({ name: 'm', labels: { a: 'x"y', b: 'c\\d', c: 'line\nnext' }, value: 1 });
    expect(parseSampleLine('m{ a = "1" , b="2"} 3')).toEqual({ name: 'm', labels: { a: '1', b: '2' }, value: 3 });
    expect(parseSampleLine('m{a="{not},=\\"end"} 4')?.labels).toEqual({ a: '{not},="end' });
    expect(parseSampleLine('up 1')).toEqual({ name: 'up', labels: {}, value: 1 });
    expect(parseSampleLine('m +Inf')?.value).toBe(Infinity);
    expect(parseSampleLine('m -Inf')?.value).toBe(-Infinity);
    expect(parseSampleLine('m NaN')?.value).toBeNaN();
    // prom-client writes a gauge without a figure yet (nodejs_eventloop_lag_mean_seconds before the first sample) so.
    expect(parseSampleLine('m Nan')?.value).toBeNaN();
    expect(parseSampleLine('m inf')?.value).toBe(Infinity);
    expect(parseSampleLine('m -infinity')?.value).toBe(-Infinity);
    expect(parseSampleLine('m -NaN')).toBeUndefined();
    expect(parseSampleLine('m\t-1.5e-3')?.value).toBe(-0.0015);
  });

  it('skips what is not a sample rather than failing', () => {
    for (const bad of ['m{a="x"', 'm{a=x} 1', 'm{1a="x"} 1', 'm{a="x"}', 'm 12abc', 'm', '{a="x"} 1', 'm{a="x"}1', '# TYPE m gauge', '   ']) expect(parseSampleLine(bad), bad).toBeUndefined();
    expect(parseExposition('m{a="x" 1\nm{a="y"} 2\r\nm 3', new Set(['m'])).map((s) => s.value)).toEqual([2, 3]);
  });
});
