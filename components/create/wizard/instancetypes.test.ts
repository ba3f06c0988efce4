import { describe, expect, it } from 'vitest';
import { groupInstancetypes, seriesClass, seriesOf, suggestedInstancetype } from './instancetypes';
import type { InstancetypeOption } from '@/lib/shared/create-api';

const it_ = (name: string, cpu: number, memory: string): InstancetypeOption => {
  const [series = '', size = ''] = name.split('.');
  return { name, series, size, cpu, memory };
};

describe('instance types', () => {
  const list = [
    it_('cx1.large', 2, '4Gi'),
    it_('u1.large', 2, '8Gi'),
    it_('u1.nano', 1, '512Mi'),
    it_('u1.medium', 1, '4Gi'),
    it_('o1.small', 1, '2Gi'),
    it_('zz9.huge', 64, '1Ti'),
    it_('u1.micro', 1, '1Gi'),
    it_('u1.2xlarge', 8, '32Gi'),
    it_('u1.xlarge', 4, '16Gi'),
  ];
  it('group by series in the console order, sizes smallest first', () => {
    const groups = groupInstancetypes(list);
    expect(groups.map((g) => g.series)).toEqual(['u1', 'o1', 'cx1', 'zz9']);
    expect(groups[0]!.sizes.map((s) => s.size)).toEqual(['nano', 'micro', 'medium', 'large', 'xlarge', '2xlarge']);
  });
  it('find the series of a type and the suggested size', () => {
    const groups = groupInstancetypes(list);
    expect(seriesOf(groups, 'cx1.large')).toBe('cx1');
    expect(seriesOf(groups, 'gone.type')).toBe('u1');
    expect(seriesOf([], undefined)).toBeUndefined();
    expect(suggestedInstancetype(list)).toBe('u1.medium');
    expect(suggestedInstancetype([it_('cx1.large', 2, '4Gi'), it_('o1.small', 1, '2Gi')])).toBe('o1.small');
    expect(suggestedInstancetype([])).toBeUndefined();
    expect(seriesClass('cx1')).toBe('cx');
    expect(seriesClass('zz9')).toBeUndefined();
  });
  it('group types that do not say their series by the name prefix', () => {
    expect(groupInstancetypes([{ name: 'big.one', series: '', size: '', cpu: 2, memory: '2Gi' }])[0]!.series).toBe('big');
  });
});
