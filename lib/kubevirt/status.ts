import type { VirtualMachine } from './types';

// printableStatus → how the portal shows it. The API server's value is the source of truth (virt-controller derives
// it); unknown future values fall back to a neutral display instead of breaking the list.

export type StatusTone = 'ok' | 'progress' | 'paused' | 'stopped' | 'error' | 'unknown';
export type StatusIcon = 'running' | 'spinner' | 'pause' | 'stopped' | 'error' | 'migrate' | 'unknown';

export const KNOWN_STATUSES = [
  'Running',
  'Starting',
  'Provisioning',
  'WaitingForVolumeBinding',
  'Migrating',
  'Paused',
  'Stopping',
  'Terminating',
  'Stopped',
  'CrashLoopBackOff',
  'ErrorUnschedulable',
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrorPvcNotFound',
  'DataVolumeError',
  'WaitingForReceiver',
  'Unknown',
] as const;

export type PrintableStatus = (typeof KNOWN_STATUSES)[number];

export interface StatusDisplay {
  status: PrintableStatus;
  tone: StatusTone;
  icon: StatusIcon;
  // i18n key of the label
  labelKey: `status.${PrintableStatus}`;
}

const display: Record<PrintableStatus, { tone: StatusTone; icon: StatusIcon }> = {
  Running: { tone: 'ok', icon: 'running' },
  Starting: { tone: 'progress', icon: 'spinner' },
  Provisioning: { tone: 'progress', icon: 'spinner' },
  WaitingForVolumeBinding: { tone: 'progress', icon: 'spinner' },
  WaitingForReceiver: { tone: 'progress', icon: 'spinner' },
  Migrating: { tone: 'progress', icon: 'migrate' },
  Paused: { tone: 'paused', icon: 'pause' },
  Stopping: { tone: 'progress', icon: 'spinner' },
  Terminating: { tone: 'progress', icon: 'spinner' },
  Stopped: { tone: 'stopped', icon: 'stopped' },
  CrashLoopBackOff: { tone: 'error', icon: 'error' },
  ErrorUnschedulable: { tone: 'error', icon: 'error' },
  ErrImagePull: { tone: 'error', icon: 'error' },
  ImagePullBackOff: { tone: 'error', icon: 'error' },
  ErrorPvcNotFound: { tone: 'error', icon: 'error' },
  DataVolumeError: { tone: 'error', icon: 'error' },
  Unknown: { tone: 'unknown', icon: 'unknown' },
};

function isKnownStatus(s: string): s is PrintableStatus {
  return Object.hasOwn(display, s);
}

// A VM being deleted shows Terminating even before virt-controller has written it (its first match, §3).
export function vmStatus(vm: VirtualMachine): PrintableStatus {
  if (vm.metadata?.deletionTimestamp) return 'Terminating';
  const s = vm.status?.printableStatus ?? '';
  return isKnownStatus(s) ? s : 'Unknown';
}

export function statusDisplay(status: string): StatusDisplay {
  const s: PrintableStatus = isKnownStatus(status) ? status : 'Unknown';
  return { status: s, ...display[s], labelKey: `status.${s}` };
}
