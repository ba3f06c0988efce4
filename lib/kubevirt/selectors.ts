import type { VirtualMachine, VirtualMachineInstance } from './types';
import { parseQuantity } from './quantity';

// Pure reads over KubeVirt objects. The VM holds the desired shape; the VMI (present while it runs) holds the node,
// addresses, guest OS and the actual CPU/memory.

export const vmKey = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function nodeName(vmi: VirtualMachineInstance | undefined): string | undefined {
  return vmi?.status?.nodeName || undefined;
}

export interface InterfaceAddresses {
  name: string;
  interfaceName?: string;
  mac?: string;
  ips: string[];
}

export function interfaceAddresses(vmi: VirtualMachineInstance | undefined): InterfaceAddresses[] {
  return (vmi?.status?.interfaces ?? []).map((i) => ({
    name: i.name ?? i.interfaceName ?? '',
    interfaceName: i.interfaceName,
    mac: i.mac,
    ips: i.ipAddresses?.length ? i.ipAddresses : i.ipAddress ? [i.ipAddress] : [],
  }));
}

export function ipAddresses(vmi: VirtualMachineInstance | undefined): string[] {
  return [...new Set(interfaceAddresses(vmi).flatMap((i) => i.ips))];
}

// vCPUs: the running VMI's topology when there is one, else the template's; an instance type decides both when set.
export function vcpus(vm: VirtualMachine, vmi?: VirtualMachineInstance): number | undefined {
  const topo = vmi?.status?.currentCPUTopology ?? vmi?.spec?.domain?.cpu ?? vm.spec?.template?.spec?.domain?.cpu;
  if (topo) return (topo.cores ?? 1) * (topo.sockets ?? 1) * (topo.threads ?? 1);
  const req = vm.spec?.template?.spec?.domain?.resources?.requests as Record<string, string> | undefined;
  const cpu = parseQuantity(req?.cpu);
  if (cpu !== undefined) return Math.ceil(cpu);
  return vm.spec?.instancetype ? undefined : 1;
}

// Guest memory in bytes: the VMI's reported guest memory, else the template's guest memory or memory request.
export function memoryBytes(vm: VirtualMachine, vmi?: VirtualMachineInstance): number | undefined {
  const fromVmi = parseQuantity(vmi?.status?.memory?.guestCurrent as string | undefined);
  if (fromVmi !== undefined) return fromVmi;
  const domain = vm.spec?.template?.spec?.domain;
  const req = domain?.resources?.requests as Record<string, string> | undefined;
  return parseQuantity(domain?.memory?.guest as string | undefined) ?? parseQuantity(req?.memory);
}

export function instanceTypeName(vm: VirtualMachine): string | undefined {
  return vm.spec?.instancetype?.name;
}

export function guestOs(vmi: VirtualMachineInstance | undefined): { prettyName?: string; kernel?: string; hostname?: string } | undefined {
  const os = vmi?.status?.guestOSInfo;
  if (!os || (!os.prettyName && !os.name)) return undefined;
  return { prettyName: os.prettyName ?? [os.name, os.version].filter(Boolean).join(' '), kernel: os.kernelRelease };
}

export interface DiskRow {
  name: string;
  kind: 'disk' | 'cdrom' | 'lun' | 'filesystem';
  bus?: string;
  source: string;
  sourceType: 'containerDisk' | 'persistentVolumeClaim' | 'dataVolume' | 'cloudInit' | 'other';
}

export function disks(vm: VirtualMachine): DiskRow[] {
  const spec = vm.spec?.template?.spec;
  const volumes = new Map((spec?.volumes ?? []).map((v) => [v.name, v]));
  return (spec?.domain?.devices?.disks ?? []).map((d) => {
    const v = volumes.get(d.name);
    const kind = d.cdrom ? 'cdrom' : d.lun ? 'lun' : 'disk';
    const bus = d.disk?.bus ?? d.cdrom?.bus ?? d.lun?.bus;
    let source = '';
    let sourceType: DiskRow['sourceType'] = 'other';
    if (v?.containerDisk) {
      source = v.containerDisk.image;
      sourceType = 'containerDisk';
    } else if (v?.persistentVolumeClaim) {
      source = v.persistentVolumeClaim.claimName;
      sourceType = 'persistentVolumeClaim';
    } else if (v?.dataVolume) {
      source = v.dataVolume.name;
      sourceType = 'dataVolume';
    } else if (v?.cloudInitNoCloud || v?.cloudInitConfigDrive) {
      source = v.cloudInitNoCloud ? 'NoCloud' : 'ConfigDrive';
      sourceType = 'cloudInit';
    }
    return { name: d.name, kind, bus, source, sourceType };
  });
}

export interface NetworkRow {
  name: string;
  network: string; // "pod" or the Multus network name
  binding: string; // masquerade, bridge, sriov, ...; "" when the cluster's default applies and no VMI shows it yet
  model?: string;
  mac?: string;
  /** Not in the VM's spec: KubeVirt's default pod network, which it adds to a VM that declares no networks. */
  implicit?: boolean;
}

type NetSpec = NonNullable<NonNullable<VirtualMachine['spec']>['template']>['spec'] | VirtualMachineInstance['spec'];

type Iface = NonNullable<NonNullable<NonNullable<NetSpec>['domain']['devices']>['interfaces']>[number];

/** How an interface is bound: masquerade, bridge, sriov, a binding plugin's name; '' when the spec does not say. */
export function interfaceBinding(i: Iface): string {
  return i.masquerade ? 'masquerade' : i.bridge ? 'bridge' : i.sriov ? 'sriov' : i.binding?.name ?? '';
}

function networkRows(spec: NetSpec | undefined): NetworkRow[] {
  const nets = new Map((spec?.networks ?? []).map((n) => [n.name, n]));
  return (spec?.domain?.devices?.interfaces ?? []).map((i) => {
    const n = nets.get(i.name);
    const binding = interfaceBinding(i);
    return { name: i.name, network: n?.multus?.networkName ?? (n?.pod ? 'pod' : ''), binding, model: i.model, mac: i.macAddress };
  });
}

/**
 * The VM's interfaces and their networks. A VM that declares none (and does not turn off autoattachPodInterface)
 * still gets KubeVirt's pod network named "default", bound as the cluster's defaultNetworkInterface says: shown as
 * the running VMI has it, or with the binding left to the cluster while the VM is stopped.
 */
export function networks(vm: VirtualMachine, vmi?: VirtualMachineInstance): NetworkRow[] {
  const spec = vm.spec?.template?.spec;
  const declared = networkRows(spec);
  if (declared.length || (spec?.networks ?? []).length || spec?.domain?.devices?.autoattachPodInterface === false) return declared;
  const applied = networkRows(vmi?.spec).filter((r) => r.network === 'pod');
  if (applied.length) return applied.map((r) => ({ ...r, implicit: true }));
  return [{ name: 'default', network: 'pod', binding: '', implicit: true }];
}

export function runStrategy(vm: VirtualMachine): string {
  if (vm.spec?.runStrategy) return vm.spec.runStrategy;
  return vm.spec?.running ? 'Always' : 'Halted';
}

export function createdAt(o: { metadata?: { creationTimestamp?: string } }): number | undefined {
  const t = o.metadata?.creationTimestamp;
  return t ? Date.parse(t) : undefined;
}
