import { describe, expect, it } from 'vitest';
import { condition, hasCondition, hasTrueCondition } from './conditions.ts';
import type { VMI } from './types.ts';

const vmi = (phase?: string, conditions: { type: string; status: string }[] = []) => ({ status: { phase, conditions } }) as unknown as VMI;

describe('conditions', () => {
  const paused = vmi('Running', [{ type: 'Paused', status: 'False' }, { type: 'Ready', status: 'True' }]);

  it('finds a condition by type', () => {
    expect(condition(paused.status?.conditions, 'Ready')).toEqual({ type: 'Ready', status: 'True' });
    expect(condition(undefined, 'Ready')).toBeUndefined();
  });

  it('tells present from present and True', () => {
    expect([hasCondition(paused, 'Paused'), hasTrueCondition(paused, 'Paused')]).toEqual([true, false]);
    expect([hasCondition(paused, 'Ready'), hasTrueCondition(paused, 'Ready')]).toEqual([true, true]);
    expect([hasCondition({}, 'Ready'), hasTrueCondition({}, 'Ready')]).toEqual([false, false]);
  });
});
