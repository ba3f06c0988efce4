import { describe, expect, it } from 'vitest';
import { runStrategy } from './run-strategy.ts';
import type { VM } from './types.ts';

const vm = (spec: { running?: boolean | null; runStrategy?: string | null }) => ({ spec }) as unknown as VM;

describe('runStrategy (vm.RunStrategy() of KubeVirt 1.6)', () => {
  it('maps the deprecated spec.running: true is Always, false is Halted', () => {
    expect(runStrategy(vm({ running: true }))).toEqual({ strategy: 'Always' });
    expect(runStrategy(vm({ running: false }))).toEqual({ strategy: 'Halted' });
  });

  it('takes spec.runStrategy as it is', () => {
    for (const s of ['Always', 'Halted', 'Manual', 'RerunOnFailure', 'Once', 'WaitAsReceiver']) {
      expect(runStrategy(vm({ runStrategy: s }))).toEqual({ strategy: s });
    }
  });

  it('is Halted when neither is set (null is unset, as a nil pointer)', () => {
    expect(runStrategy(vm({}))).toEqual({ strategy: 'Halted' });
    expect(runStrategy(vm({ running: null, runStrategy: null }))).toEqual({ strategy: 'Halted' });
    expect(runStrategy({} as VM)).toEqual({ strategy: 'Halted' });
    expect(runStrategy(vm({ running: null, runStrategy: 'Manual' }))).toEqual({ strategy: 'Manual' });
  });

  it('is an error, with Unknown, when both are set, whatever their values', () => {
    const both = { strategy: 'Unknown', error: 'running and runstrategy are mutually exclusive' };
    expect(runStrategy(vm({ running: true, runStrategy: 'Always' }))).toEqual(both);
    expect(runStrategy(vm({ running: false, runStrategy: 'Always' }))).toEqual(both);
    expect(runStrategy(vm({ running: false, runStrategy: 'Halted' }))).toEqual(both);
  });
});
