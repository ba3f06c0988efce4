// KubeVirt's types from the generated package, with the object metadata the simulator relies on made explicit
// (KubeObject's metadata has a name; the generated ObjectMeta leaves everything optional).
import type {
  V1VirtualMachine,
  V1VirtualMachineInstance,
  V1VirtualMachineCondition,
  V1VirtualMachineStateChangeRequest,
} from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import type { KubeObject } from '../kube/client.ts';

export type VM = V1VirtualMachine & KubeObject;
export type VMI = V1VirtualMachineInstance & KubeObject;
/** The generated condition types leave out the timestamps the API carries. */
export type VMCondition = V1VirtualMachineCondition & { lastProbeTime?: string | null; lastTransitionTime?: string };
export type VMICondition = VMCondition;
export type StateChangeRequest = V1VirtualMachineStateChangeRequest;

export const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
