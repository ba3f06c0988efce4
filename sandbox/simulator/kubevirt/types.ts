// KubeVirt's types from the generated package, with the object metadata the simulator relies on made explicit.
import type {
  V1VirtualMachine,
  V1VirtualMachineInstance,
  V1VirtualMachineCondition,
} from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import type { KubeObject } from '../kube/client.ts';

export type VM = V1VirtualMachine & KubeObject;
export type VMI = V1VirtualMachineInstance & KubeObject;
/** The generated condition types leave out the timestamps the API carries. */
export type VMCondition = V1VirtualMachineCondition & { lastProbeTime?: string | null; lastTransitionTime?: string };
export type VMICondition = VMCondition;

export const finalPhases = new Set(['Succeeded', 'Failed']);
export const isFinal = (vmi: VMI | undefined) => !!vmi && finalPhases.has(vmi.status?.phase ?? '');

export function condition<T extends { type: string }>(conds: T[] | undefined, type: string): T | undefined {
  return conds?.find((c) => c.type === type);
}

export const vmPath = (ns: string, name = '') => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines${name ? `/${name}` : ''}`;
export const vmiPath = (ns: string, name = '') => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances${name ? `/${name}` : ''}`;

/** KubeVirt's run strategy, with the deprecated spec.running mapped as vm.RunStrategy() does. */
export function runStrategyOf(vm: VM): string {
  if (vm.spec?.runStrategy) return vm.spec.runStrategy;
  return vm.spec?.running ? 'Always' : 'Halted';
}

export const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
