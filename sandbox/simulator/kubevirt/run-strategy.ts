// vm.RunStrategy() of KubeVirt 1.6 (staging/src/kubevirt.io/api/core/v1/types.go): the deprecated spec.running
// wins when set, both set is an error, neither is Halted. The admission webhook refuses both set, so the error only
// meets objects that got past it; virt-api then answers a 500 with its text and virt-controller retries with backoff.
import type { VM } from './types.ts';

export const runStrategyUnknown = 'Unknown';
export const bothSetError = 'running and runstrategy are mutually exclusive';

/** Go's (strategy, error): on error the strategy is Unknown, as RunStrategyUnknown is there. */
export type RunStrategyResult = { strategy: string; error?: undefined } | { strategy: typeof runStrategyUnknown; error: string };

// JSON null and absent are both Go's nil pointer.
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

export function runStrategy(vm: Pick<VM, 'spec'>): RunStrategyResult {
  const running = vm.spec?.running as boolean | null | undefined;
  const strategy = vm.spec?.runStrategy as string | null | undefined;
  if (isSet(running) && isSet(strategy)) return { strategy: runStrategyUnknown, error: bothSetError };
  if (isSet(running)) return { strategy: running ? 'Always' : 'Halted' };
  if (isSet(strategy)) return { strategy };
  return { strategy: 'Halted' };
}
