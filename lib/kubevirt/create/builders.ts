import { stringify } from 'yaml';
import type {
  V1DataVolumeTemplateSpec,
  V1Disk,
  V1Interface,
  V1Network,
  V1VirtualMachine,
  V1Volume,
  V1beta1StorageSpec,
} from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import type { CloudInitInput, CreateVmForm, DiskStorage, VmNetwork } from './form';
import { composeUserData } from './user-data';

export { composeUserData } from './user-data';

// The objects a wizard form becomes, exactly as they are shown for review, downloaded for GitOps and created: one
// function, so what the user reviewed is what the cluster gets.

export const ROOT_DISK = 'rootdisk';
export const CLOUD_INIT_DISK = 'cloudinitdisk';

/** The Secret holding a VM's cloud-init; deterministic, so a second create of the same name meets the first. */
export function cloudInitSecretName(vmName: string): string {
  return `${vmName}-cloud-init`;
}

/** The DataVolume (and so the claim) of one of a VM's disks. */
export function dataVolumeName(vmName: string, diskName: string): string {
  return `${vmName}-${diskName}`;
}

export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  type: 'Opaque';
  stringData: Record<string, string>;
}

export interface VmManifests {
  vm: V1VirtualMachine;
  secrets: Secret[];
}

/** Whether the form asks for any cloud-init at all (keys, a user, a password, user-data or network-data). */
export function wantsCloudInit(ci: CloudInitInput): boolean {
  return ci.sshKeys.some((k) => k.trim()) || !!ci.user || !!ci.password || !!ci.userData?.trim() || !!ci.networkData?.trim();
}

/**
 * A Manual VM never starts by itself, whatever it is created with: the server creates it and then calls the start
 * subresource, which is also what a user does later for a Manual VM.
 */
export function needsStartCall(form: CreateVmForm): boolean {
  return form.runStrategy === 'Manual' && form.start;
}

function runStrategy(form: CreateVmForm): string {
  if (form.runStrategy === 'Manual') return 'Manual';
  return form.start ? form.runStrategy : 'Halted';
}

// Unset class, access mode or volume mode: CDI fills them from the default class and its StorageProfile.
function storage(s: DiskStorage): V1beta1StorageSpec {
  return {
    resources: { requests: { storage: s.size } },
    ...(s.storageClass ? { storageClassName: s.storageClass } : {}),
    ...(s.accessMode ? { accessModes: [s.accessMode] } : {}),
    ...(s.volumeMode ? { volumeMode: s.volumeMode } : {}),
  };
}

function rootDataVolume(form: CreateVmForm): V1DataVolumeTemplateSpec | undefined {
  const b = form.bootSource;
  const metadata = { name: dataVolumeName(form.name, ROOT_DISK) };
  switch (b.kind) {
    case 'containerDisk':
      return undefined;
    case 'dataSource':
      return { metadata, spec: { sourceRef: { kind: 'DataSource', namespace: b.namespace, name: b.name }, storage: storage(form.rootDisk) } };
    case 'http':
      return { metadata, spec: { source: { http: { url: b.url } }, storage: storage(form.rootDisk) } };
    case 'pvc':
      return { metadata, spec: { source: { pvc: { namespace: b.namespace, name: b.name } }, storage: storage(form.rootDisk) } };
  }
}

// One interface and its network as a VM spec has them; a NIC attached to a running VM is built by the same function.
export function networkParts(n: VmNetwork): { iface: V1Interface; network: V1Network } {
  return {
    iface: { name: n.name, [n.binding]: {} },
    network: n.source.kind === 'pod' ? { name: n.name, pod: {} } : { name: n.name, multus: { networkName: n.source.networkName } },
  };
}

// A common-instancetypes name is <series>.<size> (u1.medium); the size is what the label has always said.
function sizeLabel(form: CreateVmForm): Record<string, string> {
  if (form.size.kind !== 'instancetype') return {};
  const size = form.size.instancetype.split('.').pop() ?? '';
  return size && size.length <= 63 ? { 'kubevirt.io/size': size } : {};
}

/** The VM and the Secrets the form becomes. Secrets carry no ownerReferences yet: the VM has no UID before it exists. */
export function buildManifests(form: CreateVmForm): VmManifests {
  const { name, namespace } = form;
  const root = rootDataVolume(form);
  const extras = form.extraDisks.map((d) => ({
    disk: d,
    template: { metadata: { name: dataVolumeName(name, d.name) }, spec: { source: { blank: {} }, storage: storage(d) } } satisfies V1DataVolumeTemplateSpec,
  }));

  const disks: V1Disk[] = [{ name: ROOT_DISK, disk: { bus: 'virtio' }, bootOrder: 1 }, ...extras.map(({ disk }) => ({ name: disk.name, disk: { bus: 'virtio' } }))];
  const volumes: V1Volume[] = [
    form.bootSource.kind === 'containerDisk'
      ? { name: ROOT_DISK, containerDisk: { image: form.bootSource.image } }
      : { name: ROOT_DISK, dataVolume: { name: dataVolumeName(name, ROOT_DISK) } },
    ...extras.map(({ disk, template }) => ({ name: disk.name, dataVolume: { name: template.metadata.name } })),
  ];

  const secrets: Secret[] = [];
  if (wantsCloudInit(form.cloudInit)) {
    const secretName = cloudInitSecretName(name);
    const networkData = form.cloudInit.networkData?.trim() ? form.cloudInit.networkData : undefined;
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace, labels: { 'vm.kubevirt.io/name': name } },
      type: 'Opaque',
      // KubeVirt's NoCloud source reads these keys. Network-data alone still needs user-data for the datasource.
      stringData: { userdata: composeUserData(form.cloudInit) ?? '#cloud-config\n', ...(networkData ? { networkdata: networkData } : {}) },
    });
    disks.push({ name: CLOUD_INIT_DISK, disk: { bus: 'virtio' } });
    volumes.push({
      name: CLOUD_INIT_DISK,
      cloudInitNoCloud: { secretRef: { name: secretName }, ...(networkData ? { networkDataSecretRef: { name: secretName } } : {}) },
    });
  }

  const nets = form.networks.map(networkParts);
  const devices = {
    disks,
    // No network chosen means none at all: KubeVirt would otherwise attach the pod network by itself.
    ...(nets.length ? { interfaces: nets.map((n) => n.iface) } : { autoattachPodInterface: false }),
  };
  const domain =
    form.size.kind === 'custom'
      ? // Requests follow from the guest's size in KubeVirt's defaults; setting them here would only pin them.
        { cpu: { cores: form.size.cpu }, memory: { guest: form.size.memory }, devices }
      : { devices };

  const labels = form.labels && Object.keys(form.labels).length ? { labels: { ...form.labels } } : {};
  const dataVolumeTemplates = [...(root ? [root] : []), ...extras.map((e) => e.template)];
  const vm: V1VirtualMachine = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, ...labels },
    spec: {
      runStrategy: runStrategy(form),
      ...(form.size.kind === 'instancetype' ? { instancetype: { kind: 'VirtualMachineClusterInstancetype', name: form.size.instancetype } } : {}),
      ...(form.size.preference ? { preference: { kind: 'VirtualMachineClusterPreference', name: form.size.preference } } : {}),
      ...(dataVolumeTemplates.length ? { dataVolumeTemplates } : {}),
      template: {
        metadata: { labels: { 'kubevirt.io/domain': name, ...sizeLabel(form) } },
        spec: {
          domain,
          ...(nets.length ? { networks: nets.map((n) => n.network) } : {}),
          volumes,
        },
      },
    },
  };
  return { vm, secrets };
}

/** The objects in the order they are shown and created: the VM first, so the Secrets can be owned by it. */
export function manifestsList(m: VmManifests): Record<string, unknown>[] {
  return [m.vm as unknown as Record<string, unknown>, ...m.secrets.map((s) => s as unknown as Record<string, unknown>)];
}

/**
 * Multi-document YAML. Written as YAML 1.1 because kubectl's reader is YAML 1.1 too: a label value "yes" or "on"
 * must stay quoted there, or it arrives as a boolean.
 */
export function toYaml(objects: Record<string, unknown>[]): string {
  return objects.map((o) => stringify(o, { version: '1.1', lineWidth: 0 })).join('---\n');
}
