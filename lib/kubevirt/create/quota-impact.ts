import type { CreateOptions, QuotaOption } from '../../shared/create-api';
import { launcherCpuRequestMillis, launcherMemoryOverheadBytes } from '../memory-overhead';
import { parseQuantity } from '../quantity';
import { quotaUnit, type QuotaUnit } from '../quota-usage';
import { wantsCloudInit } from './builders';
import type { CreateVmForm } from './form';
import { resolvedStorageClass } from './rules';

// What creating a VM (and, when it is to start, running it) adds to each ResourceQuota of its namespace, worked
// out the way the objects will be charged: the launcher pod KubeVirt v1.6 renders for it and the claims CDI makes
// for its DataVolumes. Transient pods (CDI's importer or clone workers, hotplug pods) are not counted: they come and
// go while the VM is provisioned.

export interface QuotaLine {
  quota: string;
  resource: string;
  adds: number;
  used: number;
  hard: number;
  unit: QuotaUnit;
  fits: boolean;
}

/** What the portal cannot read from the options but the numbers depend on; KubeVirt's and CDI's defaults apply. */
export interface ClusterAssumptions {
  // KubeVirt CR developerConfiguration.cpuAllocationRatio.
  cpuAllocationRatio?: number;
  // KubeVirt CR developerConfiguration.memoryOvercommit, in percent.
  memoryOvercommit?: number;
  // KubeVirt CR additionalGuestMemoryOverheadRatio.
  additionalGuestMemoryOverheadRatio?: string;
  // The namespace's alpha.kubevirt.io/auto-memory-limits-ratio label.
  autoMemoryLimitsRatio?: number;
  // KubeVirt logs the serial console through a guest-console-log sidecar unless the cluster disables it.
  serialConsoleLog?: boolean;
  // CDI's filesystem overhead for the claim's class (CDIConfig status.filesystemOverhead).
  filesystemOverhead?: number;
  arch?: string;
}

const Mi = 1024 ** 2;
// The global filesystem overhead of CDI v1.62, the CDI beside KubeVirt 1.6 (pkg/common/common.go 214).
const defaultFilesystemOverhead = 0.055;

type Resources = { cpuMillis: number; memory: number; ephemeral: number };

// The support containers beside virt-launcher's compute container (kubevirt v1.6.0): a container disk's
// (pkg/container-disk/container-disk.go 272-290) and the guest-console-log sidecar
// (pkg/virt-controller/services/serialconsolelog.go 66-90). Init containers run before them and ask for less, so
// they never set the pod's total.
const containerDisk = { requests: { cpuMillis: 1, memory: 1e6, ephemeral: 50e6 }, limits: { cpuMillis: 10, memory: 40e6 } };
const consoleLog = { requests: { cpuMillis: 5, memory: 35e6, ephemeral: 0 }, limits: { cpuMillis: 15, memory: 60e6 } };
// The compute container's ephemeral-storage request (template.go ephemeralStorageOverheadSize "50M").
const computeEphemeral = 50e6;

interface Launcher {
  requests: Resources;
  limits: { cpuMillis: number; memory: number };
}

function guestSize(form: CreateVmForm, o: Pick<CreateOptions, 'instancetypes'>): { vcpus: number; memory: number } {
  if (form.size.kind === 'custom') return { vcpus: form.size.cpu, memory: parseQuantity(form.size.memory) ?? 0 };
  const name = form.size.instancetype;
  const t = o.instancetypes.find((i) => i.name === name);
  // An instancetype the options do not list is reported by clusterProblems; it adds nothing it can be charged for.
  return { vcpus: t?.cpu ?? 0, memory: parseQuantity(t?.memory) ?? 0 };
}

function launcher(form: CreateVmForm, o: Pick<CreateOptions, 'instancetypes' | 'quotas'>, c: ClusterAssumptions): Launcher {
  const { vcpus, memory } = guestSize(form, o);
  // The defaults webhook turns guest memory into the request, scaled by the overcommit (pkg/defaults/defaults.go
  // 335-345).
  const overcommit = c.memoryOvercommit ?? 100;
  const memRequest = overcommit === 100 ? memory : Math.floor((memory * 100) / overcommit);
  const overhead = launcherMemoryOverheadBytes({
    guestMemoryBytes: memRequest,
    vcpus,
    arch: c.arch ?? 'amd64',
    vfio: form.networks.some((n) => n.binding === 'sriov'),
    additionalOverheadRatio: c.additionalGuestMemoryOverheadRatio,
  });
  const compute = { cpuMillis: launcherCpuRequestMillis(vcpus, c.cpuAllocationRatio ?? 10), memory: memRequest + overhead, ephemeral: computeEphemeral };
  // KubeVirt sets no limits of its own, except that a ResourceQuota limiting limits.cpu or limits.memory in the
  // namespace makes it set that limit on the compute container (template.go doesVMIRequireAutoResourceLimits,
  // 1543-1557): the vCPUs in whole cores (renderresources.go 142-144), and the memory request times the namespace's
  // ratio, 2 by default (WithAutoMemoryLimits, renderresources.go 270-277).
  const limited = (r: string) => o.quotas.some((q) => r in q.hard);
  const computeLimits = {
    cpuMillis: limited('limits.cpu') ? vcpus * 1000 : 0,
    memory: limited('limits.memory') ? Math.trunc(compute.memory * (c.autoMemoryLimitsRatio ?? 2)) : 0,
  };
  const sidecars = [...(form.bootSource.kind === 'containerDisk' ? [containerDisk] : []), ...(c.serialConsoleLog === false ? [] : [consoleLog])];
  return {
    requests: sidecars.reduce(
      (sum, s) => ({ cpuMillis: sum.cpuMillis + s.requests.cpuMillis, memory: sum.memory + s.requests.memory, ephemeral: sum.ephemeral + s.requests.ephemeral }),
      compute,
    ),
    limits: sidecars.reduce((sum, s) => ({ cpuMillis: sum.cpuMillis + s.limits.cpuMillis, memory: sum.memory + s.limits.memory }), computeLimits),
  };
}

// CDI v1.62's GetRequiredSpace (pkg/controller/common/util.go 1482-1491), applied to a DataVolume's storage size:
// a Filesystem claim is asked for its size aligned to 1Mi and grown so that the overhead's share of the claim is left
// for the filesystem's own metadata. (CDI 1.63 changed this to size × (1 + overhead) with an overhead of 0.06.)
function claimBytes(size: number, volumeMode: string, overhead: number): number {
  if (volumeMode !== 'Filesystem') return size;
  return Math.ceil((Math.ceil(size / Mi) * Mi) / (1 - overhead));
}

interface Claim {
  storageClass?: string;
  bytes: number;
}

function claims(form: CreateVmForm, o: Pick<CreateOptions, 'storageClasses'>, c: ClusterAssumptions): Claim[] {
  const disks = [...(form.bootSource.kind === 'containerDisk' ? [] : [form.rootDisk]), ...form.extraDisks];
  return disks.map((d) => {
    const sc = resolvedStorageClass(d, o.storageClasses);
    // Unset, CDI takes the volume mode from the class's StorageProfile, first entry first.
    const mode = d.volumeMode ?? sc?.volumeModes[0] ?? 'Filesystem';
    return { storageClass: sc?.name ?? d.storageClass, bytes: claimBytes(parseQuantity(d.size) ?? 0, mode, c.filesystemOverhead ?? defaultFilesystemOverhead) };
  });
}

const classPrefix = '.storageclass.storage.k8s.io/';

// How much of one quota resource this VM adds (in the resource's quotaUnit), or undefined for a resource it does
// not affect or we cannot tell.
function adds(resource: string, form: CreateVmForm, started: boolean, pod: () => Launcher, cl: Claim[]): number | undefined {
  switch (resource) {
    case 'requests.cpu':
    case 'cpu':
      return started ? pod().requests.cpuMillis / 1000 : 0;
    case 'limits.cpu':
      return started ? pod().limits.cpuMillis / 1000 : 0;
    case 'requests.memory':
    case 'memory':
      return started ? pod().requests.memory : 0;
    case 'limits.memory':
      return started ? pod().limits.memory : 0;
    case 'requests.ephemeral-storage':
    case 'ephemeral-storage':
      return started ? pod().requests.ephemeral : 0;
    case 'pods':
    case 'count/pods':
    case 'count/virtualmachineinstances.kubevirt.io':
      return started ? 1 : 0;
    case 'count/virtualmachines.kubevirt.io':
      return 1;
    case 'count/datavolumes.cdi.kubevirt.io':
    case 'persistentvolumeclaims':
    case 'count/persistentvolumeclaims':
      return cl.length;
    case 'secrets':
    case 'count/secrets':
      return wantsCloudInit(form.cloudInit) ? 1 : 0;
    case 'requests.storage':
      return cl.reduce((s, c) => s + c.bytes, 0);
  }
  const at = resource.indexOf(classPrefix);
  if (at > 0) {
    const inClass = cl.filter((c) => c.storageClass === resource.slice(0, at));
    const what = resource.slice(at + classPrefix.length);
    if (what === 'requests.storage') return inClass.reduce((s, c) => s + c.bytes, 0);
    if (what === 'persistentvolumeclaims') return inClass.length;
  }
  return undefined;
}

// CPU is compared in millicores, where quantities are exact; cores as floats would not add up.
const exact = (v: number, unit: QuotaLine['unit']) => (unit === 'cores' ? Math.round(v * 1000) : v);

function quotaLines(q: QuotaOption, form: CreateVmForm, started: boolean, pod: () => Launcher, cl: Claim[]): QuotaLine[] {
  const lines: QuotaLine[] = [];
  for (const [resource, hardText] of Object.entries(q.hard)) {
    const n = adds(resource, form, started, pod, cl);
    const hard = parseQuantity(hardText);
    if (n === undefined || hard === undefined) continue;
    const unit = quotaUnit(resource);
    const used = parseQuantity(q.used[resource]) ?? 0;
    // Admission checks only what the new object asks for: a resource it adds nothing to cannot refuse it.
    const fits = n === 0 || exact(used, unit) + exact(n, unit) <= exact(hard, unit);
    lines.push({ quota: q.name, resource, adds: n, used, hard, unit, fits });
  }
  return lines;
}

/** Per quota and per resource it limits: what this VM adds, against what is used and allowed. */
export function quotaImpact(
  form: CreateVmForm,
  o: Pick<CreateOptions, 'instancetypes' | 'quotas' | 'dataSources' | 'pvcs' | 'storageClasses'>,
  cluster: ClusterAssumptions = {},
): { lines: QuotaLine[]; fits: boolean } {
  // Halted never runs; Manual with start runs once the server calls start.
  const started = form.start && form.runStrategy !== 'Halted';
  let rendered: Launcher | undefined;
  const pod = () => (rendered ??= launcher(form, o, cluster));
  const cl = claims(form, o, cluster);
  const lines = o.quotas.flatMap((q) => quotaLines(q, form, started, pod, cl));
  return { lines, fits: lines.every((l) => l.fits) };
}
