// PUT {virtualmachines,virtualmachineinstances}/{name}/{addvolume,removevolume} (pkg/virt-api/rest/volumes.go).
// The VM route queues the change on the VM's status.volumeRequests (the HotplugVolumes feature gate's way) for the
// VM controller to apply to the template and the running VMI; the VMI route (virtctl without --persist) patches the
// running VMI's spec alone, an ephemeral hotplug that a restart forgets.
import YAML from 'yaml';
import { type Deps, fetchVM, fetchVMI } from './context.ts';
import { vmPath, vmiPath } from '../kubevirt/paths.ts';
import { isRunning } from '../kubevirt/phase.ts';
import type { VM, VMI } from '../kubevirt/types.ts';
import { type Reply, empty, replyOf } from './reply.ts';
import { apiErrorMessage, badRequest, conflict, internalError, vmResource, vmiResource } from './status.ts';

interface AddVolumeOptions {
  name?: string;
  disk?: Record<string, unknown>;
  volumeSource?: { persistentVolumeClaim?: { claimName: string }; dataVolume?: { name: string } };
  dryRun?: string[];
}

async function gates(deps: Deps): Promise<string[]> {
  const kv = await deps.kube.get<{ spec?: { configuration?: { developerConfiguration?: { featureGates?: string[] } } } }>(
    '/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt',
  );
  return kv.spec?.configuration?.developerConfiguration?.featureGates ?? [];
}

type TemplateVolume = { name: string; persistentVolumeClaim?: { hotpluggable?: boolean }; dataVolume?: { hotpluggable?: boolean } };
const templateVolumes = (vm: VM) =>
  ((vm.spec?.template as { spec?: { volumes?: TemplateVolume[] } } | undefined)?.spec?.volumes ?? []);

function parse(body: string): { opts?: AddVolumeOptions; error?: Reply } {
  try {
    return { opts: (YAML.parse(body || '{}') ?? {}) as AddVolumeOptions };
  } catch (e) {
    return { error: { type: 'status', status: badRequest(`Can not unmarshal Request body to struct, error: ${(e as Error).message}`) } };
  }
}

async function queue(deps: Deps, ns: string, vm: { metadata: { name: string }; status?: { volumeRequests?: unknown[] } }, request: object, dryRun?: string[]) {
  const list = vm.status?.volumeRequests;
  const patch = list
    ? [{ op: 'test', path: '/status/volumeRequests', value: list }, { op: 'add', path: '/status/volumeRequests/-', value: request }]
    : [{ op: 'add', path: vm.status ? '/status/volumeRequests' : '/status', value: vm.status ? [request] : { volumeRequests: [request] } }];
  const q = dryRun?.length ? `?${dryRun.map((d) => `dryRun=${encodeURIComponent(d)}`).join('&')}` : '';
  await deps.kube.patch(`${vmPath(ns, vm.metadata.name)}/status${q}`, patch, 'json');
}

const gateMessage = 'Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.';

type Request = { addVolumeOptions?: { name: string; disk: object; volumeSource: object } ; removeVolumeOptions?: { name: string } };

type Parsed = { request?: Request; dryRun?: string[]; error?: Reply };

/** Either feature gate, then the body: what add and remove check first, on both routes. */
async function gatedOptions(deps: Deps, body: string): Promise<{ opts?: AddVolumeOptions; error?: Reply }> {
  const g = await gates(deps);
  if (!g.includes('HotplugVolumes') && !g.includes('DeclarativeHotplugVolumes')) return { error: { type: 'status', status: badRequest(gateMessage) } };
  return parse(body);
}

/** The request as virt-api normalises it (the disk takes the volume's name). */
async function addRequest(deps: Deps, body: string): Promise<Parsed> {
  const { opts, error } = await gatedOptions(deps, body);
  if (error) return { error };
  if (!opts!.name) return { error: { type: 'status', status: badRequest('AddVolumeOptions requires name to be set') } };
  if (!opts!.disk) return { error: { type: 'status', status: badRequest('AddVolumeOptions requires disk to not be nil') } };
  if (!opts!.volumeSource) return { error: { type: 'status', status: badRequest('AddVolumeOptions requires VolumeSource to not be nil') } };
  const src = opts!.volumeSource;
  const volumeSource = src.persistentVolumeClaim
    ? { persistentVolumeClaim: { ...src.persistentVolumeClaim, hotpluggable: true } }
    : { dataVolume: { ...src.dataVolume, hotpluggable: true } };
  // opts.Disk.Name = opts.Name: whatever name the client put on the disk (virtctl sends "") is replaced.
  return { request: { addVolumeOptions: { name: opts!.name, disk: { ...opts!.disk, name: opts!.name }, volumeSource } }, dryRun: opts!.dryRun };
}

async function removeRequest(deps: Deps, body: string): Promise<Parsed> {
  const { opts, error } = await gatedOptions(deps, body);
  if (error) return { error };
  if (!opts!.name) return { error: { type: 'status', status: badRequest('RemoveVolumeOptions requires name to be set') } };
  return { request: { removeVolumeOptions: { name: opts!.name } }, dryRun: opts!.dryRun };
}

/** verifyVolumeOption: a name not yet used for an add; an existing hot-pluggable volume for a remove. */
function verifyVolumeOption(volumes: TemplateVolume[], request: Request): string | undefined {
  const add = request.addVolumeOptions;
  if (add && volumes.some((v) => v.name === add.name)) return `Unable to add volume [${add.name}] because volume with that name already exists`;
  const remove = request.removeVolumeOptions;
  if (remove) {
    const v = volumes.find((x) => x.name === remove.name);
    if (!v) return `Unable to remove volume [${remove.name}] because it does not exist`;
    if (!(v.persistentVolumeClaim?.hotpluggable || v.dataVolume?.hotpluggable)) return `Unable to remove volume [${remove.name}] because it is not hotpluggable`;
  }
  return undefined;
}

async function vmRoute(deps: Deps, ns: string, name: string, parsed: Parsed): Promise<Reply> {
  if (parsed.error) return parsed.error;
  const vm = await fetchVM(deps.kube, ns, name);
  const invalid = verifyVolumeOption(templateVolumes(vm), parsed.request!);
  if (invalid) return { type: 'status', status: conflict(vmResource, name, invalid) };
  try {
    await queue(deps, ns, vm as never, parsed.request!, parsed.dryRun);
  } catch (e) {
    return { type: 'status', status: internalError(apiErrorMessage(e)) };
  }
  return empty(202);
}

type VmiSpec = { volumes?: TemplateVolume[]; domain?: { devices?: { disks?: { name: string }[] } } };

/** vmiVolumePatch: the VMI's volumes and disks replaced, guarded by a test of what they were. */
async function vmiRoute(deps: Deps, ns: string, name: string, parsed: Parsed): Promise<Reply> {
  if (parsed.error) return parsed.error;
  const vmi: VMI = await fetchVMI(deps.kube, ns, name);
  const owned = (vmi.metadata.ownerReferences ?? []).some((o) => o.kind === 'VirtualMachine' && o.controller);
  if (owned && !(await gates(deps)).includes('HotplugVolumes')) return { type: 'status', status: badRequest(`VMI ${ns}/${name} is owned by a VM`) };
  if (!isRunning(vmi)) return { type: 'status', status: conflict(vmiResource, name, 'VMI is not running') };
  const spec = (vmi.spec ?? {}) as VmiSpec;
  const invalid = verifyVolumeOption(spec.volumes ?? [], parsed.request!);
  if (invalid) return { type: 'status', status: conflict(vmiResource, name, invalid) };
  const volumes = [...(spec.volumes ?? [])] as { name: string }[];
  let disks = [...(spec.domain?.devices?.disks ?? [])];
  const r = parsed.request!;
  let next = volumes;
  if (r.addVolumeOptions) {
    next = [...volumes, { name: r.addVolumeOptions.name, ...r.addVolumeOptions.volumeSource }];
    disks = [...disks, r.addVolumeOptions.disk as { name: string }];
  } else if (r.removeVolumeOptions) {
    next = volumes.filter((v) => v.name !== r.removeVolumeOptions!.name);
    disks = disks.filter((d) => d.name !== r.removeVolumeOptions!.name);
  }
  const q = parsed.dryRun?.length ? `?${parsed.dryRun.map((d) => `dryRun=${encodeURIComponent(d)}`).join('&')}` : '';
  try {
    await deps.kube.patch(`${vmiPath(ns, name)}${q}`, [
      { op: 'test', path: '/spec/volumes', value: spec.volumes ?? null },
      { op: spec.volumes ? 'replace' : 'add', path: '/spec/volumes', value: next },
      { op: spec.domain?.devices?.disks ? 'replace' : 'add', path: '/spec/domain/devices/disks', value: disks },
    ].filter((o) => !(o.op === 'test' && o.value === null)), 'json');
  } catch (e) {
    return { type: 'status', status: internalError(`unable to patch vmi: ${apiErrorMessage(e)}`) };
  }
  return empty(202);
}

export const addVolume = (deps: Deps, ns: string, name: string, body: string): Promise<Reply> =>
  replyOf(async () => vmRoute(deps, ns, name, await addRequest(deps, body)));

export const removeVolume = (deps: Deps, ns: string, name: string, body: string): Promise<Reply> =>
  replyOf(async () => vmRoute(deps, ns, name, await removeRequest(deps, body)));

export const addVolumeVMI = (deps: Deps, ns: string, name: string, body: string): Promise<Reply> =>
  replyOf(async () => vmiRoute(deps, ns, name, await addRequest(deps, body)));

export const removeVolumeVMI = (deps: Deps, ns: string, name: string, body: string): Promise<Reply> =>
  replyOf(async () => vmiRoute(deps, ns, name, await removeRequest(deps, body)));
