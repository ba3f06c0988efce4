import { z } from 'zod';
import { namespaceName, objectName } from '../../shared/names';

// The create wizard's model: what a user chooses, not the objects it becomes (builders.ts makes those). The same
// schema checks the form in the browser, step by step, and the body of POST /api/vms/create on the server, so a
// rule lives in one place. Rules that need the cluster (a taken name, the quota) are checked beside it, not in it.

// DNS-1123 label: a VM's name becomes its VMI's, its launcher pod's and its guest's hostname.
export const vmName = z
  .string()
  .min(1, 'name.required')
  .max(63, 'name.tooLong')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'name.dns1123');

// A Kubernetes quantity for a size in bytes: digits with an optional binary or decimal suffix.
export const sizeQuantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'size.invalid');

// A self-service VM's size, for the wizard and for the VM's later edits (lib/kubevirt/edits.ts). A guest below the
// memory floor does not get through a modern kernel's boot. KubeVirt itself sets no ceiling (its admission only wants
// at least 1M); the portal caps a self-service guest's memory and vCPUs.
export const maxVcpus = 64;
export const minGuestMemory = '64Mi';
export const maxGuestMemory = '1Ti';

export const accessModes = ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'] as const;
export const volumeModes = ['Filesystem', 'Block'] as const;

// Storage for one disk. Absent class, access mode or volume mode: the cluster's default / CDI's storage profile.
export const diskStorage = z.object({
  size: sizeQuantity,
  storageClass: objectName.optional(),
  accessMode: z.enum(accessModes).optional(),
  volumeMode: z.enum(volumeModes).optional(),
});

export const bootSource = z.discriminatedUnion('kind', [
  // A CDI DataSource (golden image), from the VM's namespace or a shared images namespace.
  z.object({ kind: z.literal('dataSource'), namespace: namespaceName, name: objectName }),
  // A container-disk image: ephemeral root disk, no claim.
  z.object({ kind: z.literal('containerDisk'), image: z.string().min(1).max(512).regex(/^[^\s]+$/, 'image.invalid') }),
  // An http(s) URL CDI imports into a new claim.
  z.object({ kind: z.literal('http'), url: z.string().max(2048).url('url.invalid').regex(/^https?:\/\//i, 'url.scheme') }),
  // A clone of an existing claim the user may read.
  z.object({ kind: z.literal('pvc'), namespace: namespaceName, name: objectName }),
]);

export const size = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instancetype'), instancetype: objectName, preference: objectName.optional() }),
  z.object({ kind: z.literal('custom'), cpu: z.number().int().min(1).max(maxVcpus), memory: sizeQuantity, preference: objectName.optional() }),
]);

export const interfaceBindings = ['masquerade', 'bridge', 'sriov'] as const;

export const network = z.object({
  // The name of the interface and of its network in the VM spec.
  name: vmName,
  // 'pod': the pod network; otherwise a NetworkAttachmentDefinition, "name" or "namespace/name".
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('pod') }),
    z.object({ kind: z.literal('multus'), networkName: z.string().min(1).max(253).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'nad.invalid') }),
  ]),
  binding: z.enum(interfaceBindings),
});

export const cloudInit = z.object({
  // One OpenSSH public key per entry (validated as keys by ssh-keys.ts).
  sshKeys: z.array(z.string().max(16_384)).max(32).default([]),
  // A user made in the guest, with the keys and the password; none: the image's default user gets the keys.
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'user.invalid').optional(),
  password: z.string().max(256).optional(),
  // Free #cloud-config user-data (validated as YAML); merged with the fields above.
  userData: z.string().max(32_768).optional(),
  // cloud-init network-config (v1 or v2), for the secondary networks.
  networkData: z.string().max(32_768).optional(),
});

export const runStrategies = ['Always', 'RerunOnFailure', 'Manual', 'Halted'] as const;

export const createVmForm = z.object({
  namespace: namespaceName,
  name: vmName,
  bootSource,
  size,
  // The root disk's claim; ignored for a container disk.
  rootDisk: diskStorage,
  extraDisks: z.array(diskStorage.extend({ name: vmName })).max(8).default([]),
  cloudInit: cloudInit.default({ sshKeys: [] }),
  networks: z.array(network).max(8).default([{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }]),
  runStrategy: z.enum(runStrategies).default('Always'),
  // Off: the VM is created Halted (or Manual and not started), whatever the run strategy says once it is started.
  start: z.boolean().default(true),
  labels: z.record(z.string().max(317), z.string().max(63)).optional(),
});

export type CreateVmForm = z.output<typeof createVmForm>;
export type CreateVmFormInput = z.input<typeof createVmForm>;
export type BootSource = z.output<typeof bootSource>;
export type VmSize = z.output<typeof size>;
export type DiskStorage = z.output<typeof diskStorage>;
export type VmNetwork = z.output<typeof network>;
export type CloudInitInput = z.output<typeof cloudInit>;
