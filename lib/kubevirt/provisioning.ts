import type { VirtualMachine } from './types';

// A new VM's disks while CDI fills them: one row per dataVolumeTemplate, with the DataVolume's phase, its progress
// and, when it failed, CDI's reason. Pure: the VM page feeds it the live DataVolumes of the namespace.

export interface DataVolumeLike {
  metadata?: { name?: string; ownerReferences?: { uid?: string }[] };
  spec?: { source?: Record<string, unknown>; sourceRef?: { kind?: string; name?: string; namespace?: string } };
  status?: { phase?: string; progress?: string; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

export type DiskState = 'waiting' | 'inProgress' | 'succeeded' | 'failed';

export interface DiskProvisioning {
  name: string;
  // Where the data comes from: "DataSource kubevirt-os-images/tinylinux", "http://…", "PVC team-a/base", "blank".
  source: string;
  phase: string;
  state: DiskState;
  // 0–100 when CDI reports it.
  percent?: number;
  message?: string;
}

function sourceOf(dv: DataVolumeLike): string {
  const ref = dv.spec?.sourceRef;
  if (ref?.name) return `${ref.kind ?? 'DataSource'} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const src = dv.spec?.source ?? {};
  const http = (src.http as { url?: string } | undefined)?.url;
  if (http) return http;
  const registry = (src.registry as { url?: string } | undefined)?.url;
  if (registry) return registry;
  const pvc = src.pvc as { namespace?: string; name?: string } | undefined;
  if (pvc?.name) return `PVC ${pvc.namespace ? `${pvc.namespace}/` : ''}${pvc.name}`;
  return 'blank';
}

export function percentOf(progress: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(progress ?? '');
  return m ? Math.min(100, Number(m[1])) : undefined;
}

function stateOf(dv: DataVolumeLike | undefined): DiskState {
  const phase = dv?.status?.phase ?? '';
  if (phase === 'Succeeded') return 'succeeded';
  if (phase === 'Failed') return 'failed';
  // CDI keeps a retrying import "in progress" and says why on the Running condition.
  if (dv?.status?.conditions?.some((c) => c.type === 'Running' && c.status === 'False' && c.reason === 'Error')) return 'failed';
  if (phase.endsWith('InProgress') || phase.endsWith('Scheduled')) return 'inProgress';
  return 'waiting';
}

export function diskProvisioning(vm: VirtualMachine, dataVolumes: DataVolumeLike[]): DiskProvisioning[] {
  const byName = new Map(dataVolumes.map((d) => [d.metadata?.name ?? '', d]));
  return (vm.spec?.dataVolumeTemplates ?? []).map((tpl) => {
    const name = tpl.metadata?.name ?? '';
    const dv = byName.get(name);
    const state = stateOf(dv);
    const failure = dv?.status?.conditions?.find((c) => (c.type === 'Running' || c.type === 'Ready') && c.reason === 'Error' && c.message);
    return {
      name,
      source: sourceOf(dv ?? (tpl as DataVolumeLike)),
      phase: dv?.status?.phase ?? 'Pending',
      state,
      percent: state === 'succeeded' ? 100 : percentOf(dv?.status?.progress),
      ...(state === 'failed' && failure?.message ? { message: failure.message } : {}),
    };
  });
}

// Worth showing while any disk is not done, or one failed.
export function isProvisioning(disks: DiskProvisioning[]): boolean {
  return disks.some((d) => d.state !== 'succeeded');
}
