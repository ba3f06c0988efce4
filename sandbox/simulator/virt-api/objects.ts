// The parts of VirtualMachine / VirtualMachineInstance objects virt-api's subresource handlers look at, and the
// helpers that read them the way KubeVirt's Go code does.
import type { KubeObject } from '../kube/client.ts';

export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface StateChangeRequest {
  action: 'Start' | 'Stop' | string;
  data?: Record<string, string>;
  uid?: string;
}

export interface VirtualMachine extends KubeObject {
  spec?: {
    running?: boolean | null;
    runStrategy?: string | null;
    [key: string]: unknown;
  };
  status?: {
    conditions?: Condition[];
    stateChangeRequests?: StateChangeRequest[] | null;
    startFailure?: unknown;
    [key: string]: unknown;
  };
}

export interface VirtualMachineInstance extends KubeObject {
  spec?: {
    terminationGracePeriodSeconds?: number | null;
    livenessProbe?: unknown;
    domain?: {
      devices?: { autoattachSerialConsole?: boolean | null; autoattachGraphicsDevice?: boolean | null; [key: string]: unknown };
      features?: { acpi?: { enabled?: boolean | null } | null; [key: string]: unknown } | null;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    conditions?: Condition[];
    nodeName?: string;
    migrationState?: { completed?: boolean; targetPod?: string; [key: string]: unknown } | null;
    [key: string]: unknown;
  };
}

export const phaseOf = (vmi: VirtualMachineInstance | undefined) => vmi?.status?.phase ?? '';
/** vmi.IsFinal(): Succeeded or Failed. */
export const isFinal = (vmi: VirtualMachineInstance) => phaseOf(vmi) === 'Succeeded' || phaseOf(vmi) === 'Failed';
export const isRunning = (vmi: VirtualMachineInstance) => phaseOf(vmi) === 'Running';
export const isScheduled = (vmi: VirtualMachineInstance) => phaseOf(vmi) === 'Scheduled';

/** The condition manager's HasCondition: present, whatever its status. */
export const hasCondition = (obj: { status?: { conditions?: Condition[] } }, type: string) =>
  !!obj.status?.conditions?.some((c) => c.type === type);
/** HasConditionWithStatus(…, True). */
export const hasTrueCondition = (obj: { status?: { conditions?: Condition[] } }, type: string) =>
  !!obj.status?.conditions?.some((c) => c.type === type && c.status === 'True');

/** vm.RunStrategy(): spec.running wins when set (true → Always, false → Halted), both set is an error, neither is Halted. */
export function runStrategy(vm: VirtualMachine): { strategy: string } | { error: string } {
  const running = vm.spec?.running;
  const strategy = vm.spec?.runStrategy;
  const hasRunning = running !== undefined && running !== null;
  const hasStrategy = strategy !== undefined && strategy !== null;
  if (hasRunning && hasStrategy) return { error: 'running and runstrategy are mutually exclusive' };
  if (hasRunning) return { strategy: running ? 'Always' : 'Halted' };
  if (hasStrategy) return { strategy };
  return { strategy: 'Halted' };
}

export const kubevirtPath = (ns: string, plural: string, name: string) =>
  `/apis/kubevirt.io/v1/namespaces/${encodeURIComponent(ns)}/${plural}/${encodeURIComponent(name)}`;
export const vmPath = (ns: string, name: string) => kubevirtPath(ns, 'virtualmachines', name);
export const vmiPath = (ns: string, name: string) => kubevirtPath(ns, 'virtualmachineinstances', name);
