// The virt-launcher pod virt-controller makes for a VMI: labels, owner, security context and resource requests
// derived from the VMI, so the real scheduler and the real ResourceQuota admission decide where and whether it runs.
import { randomBytes } from 'node:crypto';
import type { VMI } from './types.ts';
import { wholeQuantity } from '../kube/quantity.ts';
import { launcherCpuRequestMillis, launcherMemoryOverheadBytes } from '../../../lib/kubevirt/memory-overhead.ts';
import { networksAnnotation, networksAnnotationFor } from '../network/secondary.ts';

export const launcherImage = 'quay.io/kubevirt/virt-launcher:v1.6.0';

export function guestMemoryBytes(vmi: VMI): number {
  const d = vmi.spec?.domain;
  return wholeQuantity((d?.memory?.guest as string | undefined) ?? (d?.resources?.requests?.memory as string | undefined) ?? '128Mi');
}

export function guestCpus(vmi: VMI): { sockets: number; cores: number; threads: number } {
  const c = vmi.spec?.domain?.cpu;
  return { sockets: c?.sockets ?? 1, cores: c?.cores ?? 1, threads: c?.threads ?? 1 };
}

// hardware.GetNumberOfVCPUs: the product of the topology fields that are set; without a topology, the CPU limit or
// request in whole cores (GetMemoryOverhead's fallback for VMIs from before the defaults webhook set one).
function overheadVcpus(vmi: VMI): number {
  const c = vmi.spec?.domain?.cpu;
  if (c) return [c.cores, c.sockets, c.threads].reduce<number>((n, f) => (f ? (n ? n * f : f) : n), 0);
  const r = vmi.spec?.domain?.resources;
  const cpu = (r?.limits?.cpu ?? r?.requests?.cpu) as string | undefined;
  return cpu === undefined ? 0 : Math.ceil(wholeQuantity(cpu, true) / 1000);
}

const sameQuantity = (a: unknown, b: unknown) => a !== undefined && b !== undefined && wholeQuantity(a as string, true) === wholeQuantity(b as string, true);

/** virt-launcher's memory overhead: KubeVirt's GetMemoryOverhead, shared with the portal's quota prediction. */
export function memoryOverheadBytes(vmi: VMI): number {
  const spec = vmi.spec;
  const d = spec?.domain;
  const devices = d?.devices;
  const r = d?.resources;
  const memRequest = r?.requests?.memory as string | undefined;
  // WantsToHaveQOSGuaranteed: non-zero CPU and memory requests, each equal to its limit.
  const guaranteed =
    wholeQuantity(memRequest) > 0 &&
    sameQuantity(memRequest, r?.limits?.memory) &&
    wholeQuantity(r?.requests?.cpu as string | undefined, true) > 0 &&
    sameQuantity(r?.requests?.cpu, r?.limits?.cpu);
  return launcherMemoryOverheadBytes({
    // KubeVirt reads the memory request; the defaults webhook sets it from the guest memory, which stands in for it
    // on a VMI that has not been through the webhook.
    guestMemoryBytes: memRequest !== undefined ? wholeQuantity(memRequest) : guestMemoryBytes(vmi),
    vcpus: overheadVcpus(vmi),
    arch: spec?.architecture,
    graphicsDevice: devices?.autoattachGraphicsDevice,
    vfio: !!devices?.hostDevices?.length || !!devices?.gpus?.length || (devices?.interfaces ?? []).some((i) => i.sriov),
    downwardMetricsVolume: (spec?.volumes ?? []).some((v) => v.downwardMetrics),
    execLivenessProbe: !!spec?.livenessProbe?.exec,
    execReadinessProbe: !!spec?.readinessProbe?.exec,
    sev: !!d?.launchSecurity?.sev,
    tpm: !!devices?.tpm && devices.tpm.enabled !== false,
    dedicatedCpuOrGuaranteedQos: !!d?.cpu?.dedicatedCpuPlacement || guaranteed,
  });
}

/** The VMI's volumes backed by claims: PVCs, and DataVolumes (whose claim has the DataVolume's name). */
export function claimVolumes(vmi: VMI): { volume: string; claim: string; hotpluggable: boolean }[] {
  return (vmi.spec?.volumes ?? []).flatMap((v) => {
    const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
    return claim ? [{ volume: v.name, claim, hotpluggable: !!(v.persistentVolumeClaim?.hotpluggable ?? v.dataVolume?.hotpluggable) }] : [];
  });
}


/**
 * The virt-handler device plugins' resources a launcher asks for (virt-controller's getRequiredResources): a tun
 * device for any interface, and /dev/kvm and vhost-net unless the cluster runs its guests emulated.
 */
export function virtualizationDevices(vmi: VMI, useEmulation: boolean): Record<string, string> {
  const devices = vmi.spec?.domain?.devices as { interfaces?: unknown[]; autoattachPodInterface?: boolean } | undefined;
  const out: Record<string, string> = {};
  if (!useEmulation) out['devices.kubevirt.io/kvm'] = '1';
  if ((devices?.interfaces?.length ?? 0) > 0 || devices?.autoattachPodInterface !== false) out['devices.kubevirt.io/tun'] = '1';
  const virtio = (devices?.interfaces ?? []).some((i) => ((i as { model?: string }).model ?? 'virtio') === 'virtio');
  if (!useEmulation && virtio) out['devices.kubevirt.io/vhost-net'] = '1';
  return out;
}

const restricted = { runAsUser: 107, runAsGroup: 107, runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

// The containers virt-controller puts beside compute (kubevirt v1.6.0), whose requests count against a namespace's
// quota like compute's: one per container disk, serving the image to the launcher (pkg/container-disk/
// container-disk.go), and guest-console-log, a sidecar keeping the serial console's output for `kubectl logs`
// (pkg/virt-controller/services/serialconsolelog.go, an init container with restartPolicy Always, template.go 567).
function containerDiskContainers(vmi: VMI): object[] {
  return (vmi.spec?.volumes ?? []).flatMap((v) =>
    v.containerDisk?.image
      ? [{
          name: `volume${v.name}`,
          image: v.containerDisk.image,
          command: ['/usr/bin/container-disk'],
          resources: { requests: { cpu: '1m', memory: '1M', 'ephemeral-storage': '50M' }, limits: { cpu: '10m', memory: '40M' } },
          securityContext: restricted,
        }]
      : [],
  );
}

// On unless the VMI turns it off (autoattachSerialConsole or logSerialConsole false); the sandbox's KubeVirt
// configuration does not disable it cluster-wide.
function serialConsoleLog(vmi: VMI): boolean {
  const devices = vmi.spec?.domain?.devices as { logSerialConsole?: boolean; autoattachSerialConsole?: boolean } | undefined;
  if (devices?.autoattachSerialConsole === false) return false;
  return devices?.logSerialConsole ?? true;
}

function consoleLogSidecar(vmi: VMI): object {
  return {
    name: 'guest-console-log',
    image: launcherImage,
    command: ['/usr/bin/virt-tail'],
    args: ['--logfile', `/var/run/kubevirt-private/${vmi.metadata.uid}/virt-serial0-log`],
    restartPolicy: 'Always',
    resources: { requests: { cpu: '5m', memory: '35M' }, limits: { cpu: '15m', memory: '60M' } },
    securityContext: restricted,
  };
}

/**
 * `networkResources`: device-plugin resources the secondary networks need (SR-IOV VFs, from the NADs'
 * resourceName annotations), requested and limited as virt-controller does, like the virtualization devices.
 */
export function launcherPod(vmi: VMI, networkResources: Record<string, string> = {}, opts: { useEmulation: boolean } = { useEmulation: false }): object {
  const deviceResources = { ...virtualizationDevices(vmi, opts.useEmulation), ...networkResources };
  const requests = vmi.spec?.domain?.resources?.requests ?? {};
  const limits = vmi.spec?.domain?.resources?.limits ?? {};
  const { sockets, cores, threads } = guestCpus(vmi);
  // KubeVirt's default CPU allocation ratio of 10: one vCPU asks for 100m unless the VMI says otherwise.
  const cpuRequest = (requests.cpu as string | undefined) ?? `${launcherCpuRequestMillis(sockets * cores * threads)}m`;
  // In bytes, as KubeVirt adds the overhead to the guest's request: not rounded, so a quota counts what KubeVirt's would.
  const memRequest = String(guestMemoryBytes(vmi) + memoryOverheadBytes(vmi));
  const name = `virt-launcher-${vmi.metadata.name}-${randomBytes(3).toString('hex').slice(0, 5)}`;
  // Claims go into the pod, so the real scheduler binds and places them (WaitForFirstConsumer, node-local PVs).
  const claims = claimVolumes(vmi).map((c) => ({ name: c.volume, persistentVolumeClaim: { claimName: c.claim } }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: vmi.metadata.namespace,
      labels: {
        ...vmi.metadata.labels,
        'kubevirt.io': 'virt-launcher',
        'kubevirt.io/created-by': vmi.metadata.uid,
        'vm.kubevirt.io/name': vmi.metadata.name,
      },
      annotations: {
        'kubevirt.io/domain': vmi.metadata.name,
        'kubectl.kubernetes.io/default-container': 'compute',
        ...(networksAnnotationFor(vmi) ? { [networksAnnotation]: networksAnnotationFor(vmi) } : {}),
        'post.hook.backup.velero.io/command': '["/usr/bin/virt-freezer", "--unfreeze", "--name", "' + vmi.metadata.name + '", "--namespace", "' + vmi.metadata.namespace + '"]',
      },
      ownerReferences: [
        { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: vmi.metadata.name, uid: vmi.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: (vmi.spec?.terminationGracePeriodSeconds ?? 30) + 15,
      restartPolicy: 'Never',
      nodeSelector: { 'kubevirt.io/schedulable': 'true', ...(vmi.spec?.nodeSelector ?? {}) },
      ...(vmi.spec?.affinity ? { affinity: vmi.spec.affinity } : {}),
      ...(vmi.spec?.tolerations ? { tolerations: vmi.spec.tolerations } : {}),
      hostname: vmi.spec?.hostname ?? vmi.metadata.name,
      ...(claims.length ? { volumes: claims } : {}),
      securityContext: { runAsUser: 107, runAsGroup: 107, runAsNonRoot: true, fsGroup: 107, seLinuxOptions: { type: 'virt_launcher.process' } },
      containers: [
        {
          name: 'compute',
          image: launcherImage,
          command: ['/usr/bin/virt-launcher-monitor', '--qemu-timeout', '300s', '--name', vmi.metadata.name, '--uid', vmi.metadata.uid],
          resources: {
            requests: { cpu: cpuRequest, memory: memRequest, ...deviceResources },
            ...(Object.keys(limits).length || Object.keys(deviceResources).length ? { limits: { ...limits, ...deviceResources } } : {}),
          },
          securityContext: {
            runAsUser: 107, runAsGroup: 107, runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false,
            capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          },
        },
        ...containerDiskContainers(vmi),
      ],
      ...(serialConsoleLog(vmi) ? { initContainers: [consoleLogSidecar(vmi)] } : {}),
    },
  };
}
