import type { V1DataVolumeTemplateSpec, V1Interface, V1Network, V1VirtualMachine, V1Volume } from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import { parseQuantity } from '../quantity';
import { CLOUD_INIT_DISK } from './builders';
import { runStrategies, type CreateVmFormInput, type DiskStorage, type VmNetwork } from './form';

// "Create like this": the wizard prefilled from an existing VM, for the user to change and submit as a new VM. It
// takes the VM's shape (boot source, size, disks, networks, run strategy), never its cloud-init: keys, users,
// passwords and user-data stay with the VM they were given to. What the form cannot say (a disk from another
// source, a hotplugged volume) is left out rather than guessed.

/** The root disk size offered when the VM does not say one (a container disk, a clone without a size). */
export const defaultRootDiskSize = '30Gi';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const sizeText = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

// The copy's suggested name: "-copy" appended within a label's 63 characters.
function copyName(name: string): string {
  return `${name.slice(0, 63 - '-copy'.length).replace(/-+$/, '')}-copy`;
}

// A quantity in the form's syntax; another spelling ("1e9", "0.5Gi" is fine, "1E") as plain bytes.
function formSize(q: string | undefined): string | undefined {
  if (q === undefined) return undefined;
  if (sizeText.test(q)) return q;
  const v = parseQuantity(q);
  return v === undefined ? undefined : String(Math.ceil(v));
}

const accessModes = new Set(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod']);
const volumeModes = new Set(['Filesystem', 'Block']);

function storageOf(t: V1DataVolumeTemplateSpec | undefined): Partial<DiskStorage> {
  const s = t?.spec.storage ?? t?.spec.pvc;
  const size = formSize((s?.resources?.requests as Record<string, string> | undefined)?.storage);
  const accessMode = s?.accessModes?.[0];
  const volumeMode = s?.volumeMode;
  return {
    ...(size ? { size } : {}),
    ...(s?.storageClassName ? { storageClass: s.storageClassName } : {}),
    ...(accessMode && accessModes.has(accessMode) ? { accessMode: accessMode as DiskStorage['accessMode'] } : {}),
    ...(volumeMode && volumeModes.has(volumeMode) ? { volumeMode: volumeMode as DiskStorage['volumeMode'] } : {}),
  };
}

type Boot = Pick<CreateVmFormInput, 'bootSource' | 'rootDisk'>;

// The boot source from the root volume: a DataVolume template's source, a container disk, or else a clone of the
// claim the VM boots from now.
function bootFrom(volume: V1Volume | undefined, templates: Map<string | undefined, V1DataVolumeTemplateSpec>, namespace: string): Boot {
  const rootDisk = { size: defaultRootDiskSize };
  if (volume?.containerDisk) return { bootSource: { kind: 'containerDisk', image: volume.containerDisk.image }, rootDisk };
  const claim = volume?.dataVolume?.name ?? volume?.persistentVolumeClaim?.claimName;
  if (!claim) return { bootSource: { kind: 'containerDisk', image: '' }, rootDisk };
  const t = volume?.dataVolume ? templates.get(claim) : undefined;
  const storage = { ...rootDisk, ...storageOf(t) };
  const ref = t?.spec.sourceRef;
  if (ref?.kind === 'DataSource') return { bootSource: { kind: 'dataSource', namespace: ref.namespace ?? namespace, name: ref.name }, rootDisk: storage };
  if (t?.spec.source?.http) return { bootSource: { kind: 'http', url: t.spec.source.http.url }, rootDisk: storage };
  if (t?.spec.source?.pvc) return { bootSource: { kind: 'pvc', namespace: t.spec.source.pvc.namespace, name: t.spec.source.pvc.name }, rootDisk: storage };
  return { bootSource: { kind: 'pvc', namespace, name: claim }, rootDisk: storage };
}

function sizeFrom(vm: V1VirtualMachine): CreateVmFormInput['size'] {
  const preference = vm.spec.preference?.name ? { preference: vm.spec.preference.name } : {};
  if (vm.spec.instancetype?.name) return { kind: 'instancetype', instancetype: vm.spec.instancetype.name, ...preference };
  const domain = vm.spec.template.spec?.domain;
  const c = domain?.cpu;
  const cpu = Math.min(64, Math.max(1, (c?.cores || 1) * (c?.sockets || 1) * (c?.threads || 1)));
  const requests = domain?.resources?.requests as Record<string, string> | undefined;
  const memory = formSize(domain?.memory?.guest ?? requests?.memory) ?? '1Gi';
  return { kind: 'custom', cpu, memory, ...preference };
}

const bindings = ['masquerade', 'bridge', 'sriov'] as const;

function networksFrom(vm: V1VirtualMachine): NonNullable<CreateVmFormInput['networks']> {
  const spec = vm.spec.template.spec;
  const devices = spec?.domain.devices;
  const nets: V1Network[] = spec?.networks ?? [];
  if (!nets.length) {
    // No networks: KubeVirt attaches the pod network by itself unless told not to.
    return devices?.autoattachPodInterface === false ? [] : [{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }];
  }
  const ifaces = new Map((devices?.interfaces ?? []).map((i: V1Interface) => [i.name, i]));
  return nets.flatMap((n): VmNetwork[] => {
    const iface = ifaces.get(n.name) as (V1Interface & Record<string, unknown>) | undefined;
    const name = dnsLabel.test(n.name) ? n.name : n.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'net';
    const found = bindings.find((b) => iface?.[b] !== undefined);
    if (n.pod) return [{ name, source: { kind: 'pod' }, binding: found ?? 'masquerade' }];
    // Another binding (passt, a binding plugin) has no place in the form: the nearest it offers.
    if (n.multus) return [{ name, source: { kind: 'multus', networkName: n.multus.networkName }, binding: found ?? 'bridge' }];
    return [];
  });
}

function runFrom(vm: V1VirtualMachine): Pick<CreateVmFormInput, 'runStrategy' | 'start'> {
  const strategy = vm.spec.runStrategy ?? (vm.spec.running ? 'Always' : 'Halted');
  // Halted is where a VM rests, not what it does once started; the copy starts off the same.
  if (strategy === 'Halted') return { runStrategy: 'Always', start: false };
  // Once: started one time and never restarted, which is what Manual with a start is.
  if (strategy === 'Once') return { runStrategy: 'Manual', start: true };
  // Whether a Manual VM runs at this moment is not part of its spec.
  if (strategy === 'Manual') return { runStrategy: 'Manual', start: false };
  const known = (runStrategies as readonly string[]).includes(strategy) ? (strategy as (typeof runStrategies)[number]) : 'Always';
  return { runStrategy: known, start: true };
}

// KubeVirt's own labels (kubevirt.io/…, vm.kubevirt.io/…, instancetype.kubevirt.io/…) describe the original.
function userLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(labels ?? {}).filter(([k]) => {
    const prefix = k.includes('/') ? k.slice(0, k.indexOf('/')) : '';
    return prefix !== 'kubevirt.io' && !prefix.endsWith('.kubevirt.io');
  });
  return kept.length ? Object.fromEntries(kept) : undefined;
}

/** The wizard's form prefilled from an existing VM, under a suggested new name. */
export function formFromVm(vm: V1VirtualMachine): CreateVmFormInput {
  const namespace = vm.metadata?.namespace ?? '';
  const spec = vm.spec.template.spec;
  const volumes = new Map((spec?.volumes ?? []).map((v) => [v.name, v]));
  const templates = new Map((vm.spec.dataVolumeTemplates ?? []).map((t) => [t.metadata?.name, t]));
  const disks = (spec?.domain.devices.disks ?? []).filter((d) => {
    const v = volumes.get(d.name);
    return v && !v.cloudInitNoCloud && !v.cloudInitConfigDrive && d.name !== CLOUD_INIT_DISK;
  });
  // The root disk boots first: the lowest boot order, else the first disk.
  const ordered = disks.filter((d) => d.bootOrder !== undefined).sort((a, b) => a.bootOrder! - b.bootOrder!);
  const root = ordered[0] ?? disks[0];
  const boot = bootFrom(root && volumes.get(root.name), templates, namespace);

  // Extra disks the form can make again: blank DataVolumes.
  const extraDisks = disks.flatMap((d) => {
    if (d === root || !dnsLabel.test(d.name)) return [];
    const t = templates.get(volumes.get(d.name)?.dataVolume?.name);
    if (!t?.spec.source?.blank) return [];
    const s = storageOf(t);
    return s.size ? [{ name: d.name, ...s, size: s.size }] : [];
  });

  const labels = userLabels(vm.metadata?.labels);
  return {
    namespace,
    name: copyName(vm.metadata?.name ?? 'vm'),
    ...boot,
    size: sizeFrom(vm),
    extraDisks,
    cloudInit: { sshKeys: [] },
    networks: networksFrom(vm),
    ...runFrom(vm),
    ...(labels ? { labels } : {}),
  };
}
