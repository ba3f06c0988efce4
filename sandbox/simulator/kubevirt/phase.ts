// A VMI's phase, read the way KubeVirt's Go helpers read it (vmi.IsFinal(), vmi.IsRunning()).
import type { VMI } from './types.ts';

type WithPhase = Pick<VMI, 'status'> | undefined;

export const phaseOf = (vmi: WithPhase) => vmi?.status?.phase ?? '';
/** Succeeded or Failed; an absent VMI is not final. */
export const isFinal = (vmi: WithPhase) => phaseOf(vmi) === 'Succeeded' || phaseOf(vmi) === 'Failed';
export const isRunning = (vmi: WithPhase) => phaseOf(vmi) === 'Running';
