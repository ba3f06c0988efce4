import { describe, expect, it } from 'vitest';
import { isFinal, isRunning, phaseOf } from './phase.ts';
import type { VMI } from './types.ts';

const vmi = (phase?: string) => ({ status: { phase } }) as unknown as VMI;

describe('phase', () => {
  it('reads an absent VMI or phase as empty, not final, not running', () => {
    expect([phaseOf(undefined), isFinal(undefined), isRunning(undefined)]).toEqual(['', false, false]);
    expect([phaseOf(vmi()), isFinal(vmi()), isRunning(vmi())]).toEqual(['', false, false]);
  });

  it('counts Succeeded and Failed as final', () => {
    expect(['Pending', 'Scheduling', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Unknown'].map((p) => isFinal(vmi(p)))).toEqual([
      false, false, false, false, true, true, false,
    ]);
    expect(isRunning(vmi('Running'))).toBe(true);
  });
});
