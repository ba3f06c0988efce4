// The VMI status virt-controller and virt-handler report together, computed from the VMI, its virt-launcher pod
// and what the node sees of the domain (pure: the controller only writes what this returns).
import { condition } from './conditions.ts';
import { isFinal } from './phase.ts';
import { nowIso, type VMI, type VMICondition } from './types.ts';
import { guestCpus, guestMemoryBytes, launcherImage } from './launcher-pod.ts';
import { podInterfaceName } from '../network/secondary.ts';

export interface PodView {
  uid: string;
  name: string;
  phase?: string;
  nodeName?: string;
  podIP?: string;
  deleting: boolean;
  qosClass?: string;
  scheduled?: { status: string; reason?: string; message?: string };
  ready?: boolean;
}

export interface GuestView {
  osInfo?: Record<string, string>;
  hostname?: string;
  interfaces?: { name: string; mac: string; ips: string[] }[];
}

export interface DomainView {
  running: boolean;
  /** Volumes hot-plugged into the running domain (not those on their way out). */
  hotplugged?: string[];
  /** Hot-plugged volumes on their way out: asked to leave, the guest has not let go yet. */
  unplugging?: string[];
  paused: boolean;
  /** Guest agent answered recently. */
  agent?: GuestView;
  macs: Record<string, string>;
}

export interface ClaimView {
  accessModes: string[];
  volumeMode: string;
  capacity?: string;
  requests?: string;
  bound: boolean;
}

export interface VmiInputs {
  /** The VMI's claims by name; a claim that does not exist is missing from the map. */
  claims?: Record<string, ClaimView>;
  pod?: PodView;
  domain?: DomainView;
  /** The pod could not be created (quota, admission): the API server's message. */
  createError?: string;
  /** The domain ended: Succeeded when the guest shut down, Failed when QEMU died. */
  ended?: 'Succeeded' | 'Failed';
  now?: string;
}

function cond(type: string, status: string, reason = '', message = '', now: string, old?: VMICondition): VMICondition {
  const keep = old && old.status === status && old.reason === reason;
  return { type, status, reason, message, lastProbeTime: null, lastTransitionTime: keep ? old!.lastTransitionTime : now };
}

export function vmiPhase(vmi: VMI, i: VmiInputs): string {
  const current = vmi.status?.phase ?? '';
  if (isFinal(vmi)) return current;
  if (i.ended) return i.ended;
  if (!i.pod) return current === '' ? 'Pending' : ['Scheduled', 'Running'].includes(current) ? 'Failed' : 'Pending';
  if (i.pod.phase === 'Failed') return 'Failed';
  if (i.pod.phase === 'Succeeded') return 'Succeeded';
  if (i.pod.phase === 'Running' && i.domain?.running) return 'Running';
  // The domain is gone but the pod still runs: its end (Succeeded or Failed) is about to show on the pod.
  if (i.pod.phase === 'Running') return current === 'Running' ? 'Running' : 'Scheduled';
  return 'Scheduling';
}

export function computeVmiStatus(vmi: VMI, i: VmiInputs): NonNullable<VMI['status']> {
  const now = i.now ?? nowIso();
  const old = vmi.status ?? {};
  const oldConds = (old.conditions ?? []) as VMICondition[];
  const phase = vmiPhase(vmi, i);
  const conds: VMICondition[] = [];
  const o = (t: string) => condition(oldConds, t);

  // Ready, as syncReadyConditionFromPod decides it.
  if (!i.pod) conds.push(cond('Ready', 'False', 'PodNotExists', 'virt-launcher pod has not yet been scheduled', now, o('Ready')));
  else if (i.pod.deleting) conds.push(cond('Ready', 'False', 'PodTerminating', 'virt-launcher pod is terminating', now, o('Ready')));
  else if (phase !== 'Running') conds.push(cond('Ready', 'False', 'GuestNotRunning', 'Guest VM is not reported as running', now, o('Ready')));
  else if (i.domain?.paused) conds.push(cond('Ready', 'False', 'PodConditionMissing', '', now, o('Ready')));
  else conds.push(cond('Ready', 'True', '', '', now, o('Ready')));

  if (i.pod?.scheduled && i.pod.scheduled.status === 'False') {
    conds.push(cond('PodScheduled', 'False', i.pod.scheduled.reason ?? '', i.pod.scheduled.message ?? '', now, o('PodScheduled')));
  }
  const missing = missingClaims(vmi, i.claims);
  if (missing.length && !i.pod) {
    const ns = vmi.metadata.namespace;
    conds.push(cond('Synchronized', 'False', 'FailedPvcNotFound', `PVC ${ns}/${missing[0]} does not exist, waiting for it to appear`, now, o('Synchronized')));
  } else if (i.createError && !i.pod) conds.push(cond('Synchronized', 'False', 'FailedCreate', i.createError, now, o('Synchronized')));
  if (phase === 'Running' && i.domain?.paused) conds.push(cond('Paused', 'True', 'PausedByUser', 'VMI was paused by user', now, o('Paused')));
  if (phase === 'Running' && i.domain?.agent) conds.push(cond('AgentConnected', 'True', '', '', now, o('AgentConnected')));
  if (['Scheduled', 'Running'].includes(phase)) {
    const lm = liveMigratable(vmi);
    conds.push(cond('LiveMigratable', lm.ok ? 'True' : 'False', lm.reason ?? '', lm.message ?? '', now, o('LiveMigratable')));
    conds.push(cond('StorageLiveMigratable', 'True', '', '', now, o('StorageLiveMigratable')));
  }

  const transitions = [...(old.phaseTransitionTimestamps ?? [])];
  if (phase !== old.phase && phase) transitions.push({ phase, phaseTransitionTimestamp: now } as never);

  const status: Record<string, unknown> = {
    phase,
    conditions: conds,
    phaseTransitionTimestamps: transitions,
    guestOSInfo: phase === 'Running' && i.domain?.agent?.osInfo ? i.domain.agent.osInfo : {},
    qosClass: i.pod?.qosClass ?? old.qosClass,
    launcherContainerImageVersion: launcherImage,
    runtimeUser: 107,
    migrationMethod: old.migrationMethod ?? 'BlockMigration',
    migrationTransport: 'Unix',
    machine: { type: 'q35' },
    memory: { guestAtBoot: `${Math.round(guestMemoryBytes(vmi) / 1024 ** 2)}Mi`, guestCurrent: `${Math.round(guestMemoryBytes(vmi) / 1024 ** 2)}Mi`, guestRequested: `${Math.round(guestMemoryBytes(vmi) / 1024 ** 2)}Mi` },
    currentCPUTopology: guestCpus(vmi),
    migrationState: old.migrationState,
    volumeStatus: volumeStatus(vmi, i.claims, i.domain, i.pod, old.volumeStatus),
  };
  const node = i.pod?.nodeName;
  if (node && ['Scheduled', 'Running', 'Succeeded', 'Failed'].includes(phase)) {
    status.nodeName = node;
    if (i.pod && !isFinal({ status: { phase } } as VMI)) status.activePods = { [i.pod.uid]: node };
  } else if (old.nodeName) {
    status.nodeName = old.nodeName;
  }
  if (phase === 'Running' || phase === 'Scheduled') status.interfaces = interfaces(vmi, i);
  if (i.ended === 'Failed' || phase === 'Failed') status.reason = old.reason;
  return JSON.parse(JSON.stringify(status)) as NonNullable<VMI['status']>;
}

function interfaces(vmi: VMI, i: VmiInputs) {
  const networks = vmi.spec?.networks ?? [];
  const ifaces = vmi.spec?.domain?.devices?.interfaces ?? [];
  // With a domain, what it has plugged (an absent interface stays until it is unplugged, a new one shows once
  // plugged); before, what the spec asks for.
  const listed = (f: (typeof ifaces)[number]) => (i.domain ? f.name in i.domain.macs : (f as { state?: string }).state !== 'absent');
  return ifaces
    .filter(listed)
    .map((f) => {
      const net = networks.find((n) => n.name === f.name);
      const isPod = !!net?.pod;
      const mac = i.domain?.macs[f.name] ?? f.macAddress;
      const guest = i.domain?.agent?.interfaces?.find((g) => g.mac.toLowerCase() === mac?.toLowerCase());
      const podIp = isPod ? i.pod?.podIP : undefined;
      const ips = isPod ? (podIp ? [podIp] : []) : guest?.ips ?? [];
      const source = ['domain', ...(guest ? ['guest-agent'] : []), ...(!isPod ? ['multus-status'] : [])].join(', ');
      return {
        name: f.name,
        mac,
        ...(ips.length ? { ipAddress: ips[0], ipAddresses: ips } : {}),
        ...(guest ? { interfaceName: guest.name } : {}),
        podInterfaceName: isPod ? 'eth0' : net?.multus ? podInterfaceName(net.name) : undefined,
        infoSource: source,
        queueCount: 1,
        linkState: 'up',
      };
    });
}

export function missingClaims(vmi: VMI, claims: Record<string, ClaimView> | undefined): string[] {
  if (!claims) return [];
  return (vmi.spec?.volumes ?? []).flatMap((v) => {
    const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
    return claim && !claims[claim] ? [claim] : [];
  });
}

type VolumeStatus = NonNullable<NonNullable<VMI['status']>['volumeStatus']>[number];

function volumeStatus(vmi: VMI, claims: Record<string, ClaimView> | undefined, domain: DomainView | undefined, pod?: PodView, old: VolumeStatus[] = []) {
  const disks = vmi.spec?.domain?.devices?.disks ?? [];
  const inSpec = new Set((vmi.spec?.volumes ?? []).map((v) => v.name));
  const hotplugged = domain?.hotplugged ?? [];
  // A volume taken out of the spec that the domain still has (its guest has not let go yet) keeps its status as
  // Detaching, as virt-controller keeps it while the volume's attachment pod exists. One added back meanwhile waits
  // to be attached again.
  const detaching = [...new Set([...hotplugged, ...(domain?.unplugging ?? [])])]
    .filter((name) => !inSpec.has(name))
    .map((name) => ({ ...(old.find((s) => s.name === name) ?? { name, target: '' }), phase: 'Detaching' }));
  return [...(vmi.spec?.volumes ?? []).map((v, idx) => {
    const disk = disks.findIndex((d) => d.name === v.name);
    const target = disk >= 0 ? `vd${String.fromCharCode(97 + disk)}` : '';
    const claimName = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
    const claim = claimName ? claims?.[claimName] : undefined;
    const hot = !!(v.persistentVolumeClaim?.hotpluggable ?? v.dataVolume?.hotpluggable);
    const attached = hotplugged.includes(v.name);
    return {
      name: v.name,
      target: hot && !attached ? '' : target,
      ...(hot
        ? {
            hotplugVolume: pod ? { attachPodName: pod.name, attachPodUID: pod.uid } : {},
            phase: attached ? 'Ready' : 'Pending',
            reason: attached ? 'VolumeReady' : 'VolumePending',
            message: attached ? `Successfully attach hotplugged volume ${v.name} to VM` : `Volume ${v.name} is waiting to be attached`,
          }
        : {}),
      ...(v.containerDisk ? { containerDiskVolume: { checksum: 1000 + idx } } : {}),
      ...(claim
        ? {
            persistentVolumeClaimInfo: {
              claimName,
              accessModes: claim.accessModes,
              volumeMode: claim.volumeMode,
              ...(claim.capacity ? { capacity: { storage: claim.capacity } } : {}),
              ...(claim.requests ? { requests: { storage: claim.requests } } : {}),
              filesystemOverhead: '0.055',
            },
          }
        : {}),
    };
  }), ...detaching];
}

/** The LiveMigratable condition: the first failing precondition, in virt-handler's order (§8). */
export function liveMigratable(vmi: VMI): { ok: boolean; reason?: string; message?: string } {
  const ifaces = vmi.spec?.domain?.devices?.interfaces ?? [];
  const podNet = vmi.spec?.networks?.find((n) => n.pod);
  const podIface = podNet ? ifaces.find((f) => f.name === podNet.name) : undefined;
  const allowBridge = vmi.metadata.annotations?.['kubevirt.io/allow-pod-bridge-network-live-migration'] !== undefined;
  if (podIface && !podIface.masquerade && !(podIface.bridge && allowBridge) && !(podIface as { binding?: unknown }).binding) {
    return {
      ok: false,
      reason: 'InterfaceNotLiveMigratable',
      message: 'cannot migrate VMI which does not use masquerade, bridge with kubevirt.io/allow-pod-bridge-network-live-migration VM annotation or a migratable plugin to connect to the pod network',
    };
  }
  for (const v of vmi.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
    if (!claim) continue;
    const vs = (vmi.status?.volumeStatus ?? []).find((s) => s.name === v.name);
    const modes = (vs?.persistentVolumeClaimInfo?.accessModes ?? []) as string[];
    if (!vs?.persistentVolumeClaimInfo) {
      return { ok: false, reason: 'DisksNotLiveMigratable', message: `cannot migrate VMI: Unable to determine if PVC ${claim} is shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)` };
    }
    if (!modes.includes('ReadWriteMany')) {
      return { ok: false, reason: 'DisksNotLiveMigratable', message: `cannot migrate VMI: PVC ${claim} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)` };
    }
  }
  return { ok: true };
}
