// The VM's printableStatus, decided by the first matching rule in virt-controller's order.
import { condition } from './conditions.ts';
import { isFinal } from './phase.ts';
import { runStrategy } from './run-strategy.ts';
import type { VM, VMI } from './types.ts';

export interface PrintableContext {
  /** A start is expected: the run strategy (or a pending Start request) wants a VMI. */
  startExpected: boolean;
  /** A stop is expected: the run strategy or a pending Stop request wants the VMI gone. */
  stopExpected: boolean;
  /** Some DataVolume of the VM is still provisioning / has failed. */
  dataVolumesProvisioning?: boolean;
  dataVolumeError?: boolean;
  pvcUnbound?: boolean;
  now?: Date;
}

export function printableStatus(vm: VM, vmi: VMI | undefined, ctx: PrintableContext): string {
  const phase = vmi?.status?.phase ?? '';
  const conds = vmi?.status?.conditions;
  const live = !!vmi && !isFinal(vmi);
  if (vm.metadata.deletionTimestamp) return 'Terminating';
  if (live && (vmi!.metadata.deletionTimestamp || ctx.stopExpected)) return 'Stopping';
  const ms = vmi?.status?.migrationState;
  if (live && ms?.startTimestamp && !ms.endTimestamp && new Date(ms.startTimestamp) <= (ctx.now ?? new Date())) return 'Migrating';
  if (phase === 'Running' && condition(conds, 'Paused')?.status === 'True') return 'Paused';
  if (phase === 'Running') return 'Running';
  const sync = condition(conds, 'Synchronized');
  if (live && sync?.status === 'False' && sync.reason === 'FailedPvcNotFound') return 'ErrorPvcNotFound';
  if (ctx.dataVolumeError) return 'DataVolumeError';
  const sched = condition(conds, 'PodScheduled');
  if (live && sched?.status === 'False' && sched.reason === 'Unschedulable') return 'ErrorUnschedulable';
  if (ctx.dataVolumesProvisioning) return 'Provisioning';
  if (ctx.startExpected && ctx.pvcUnbound) return 'WaitingForVolumeBinding';
  if (live && sync?.status === 'False' && (sync.reason === 'ErrImagePull' || sync.reason === 'ImagePullBackOff')) return sync.reason;
  if ((!vmi && ctx.startExpected) || (live && ['', 'Pending', 'Scheduling', 'Scheduled'].includes(phase))) return 'Starting';
  const { strategy } = runStrategy(vm);
  if (!live && (vm.status?.startFailure?.consecutiveFailCount ?? 0) > 0 && ['Always', 'RerunOnFailure', 'Once'].includes(strategy)) {
    return 'CrashLoopBackOff';
  }
  if ((!vmi && !ctx.startExpected) || isFinal(vmi)) return 'Stopped';
  return 'Unknown';
}
