// PUT virtualmachines/{name}/addvolume and removevolume (pkg/virt-api/rest/volumes.go): validate, then queue the
// change on the VM's status.volumeRequests (the HotplugVolumes feature gate's way); the VM controller applies it
// to the VM template and the running VMI.
import YAML from 'yaml';
import { type Deps, fetchVM } from './context.ts';
import type { VirtualMachine } from './objects.ts';
import { type Reply, empty, replyOf } from './reply.ts';
import { apiErrorMessage, badRequest, conflict, internalError, vmResource } from './status.ts';

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
const templateVolumes = (vm: VirtualMachine) =>
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
  await deps.kube.patch(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines/${vm.metadata.name}/status${q}`, patch, 'json');
}

const gateMessage = 'Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.';

export function addVolume(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const g = await gates(deps);
    if (!g.includes('HotplugVolumes') && !g.includes('DeclarativeHotplugVolumes')) return { type: 'status', status: badRequest(gateMessage) };
    const { opts, error } = parse(body);
    if (error) return error;
    if (!opts!.name) return { type: 'status', status: badRequest('AddVolumeOptions requires name to be set') };
    if (!opts!.disk) return { type: 'status', status: badRequest('AddVolumeOptions requires disk to not be nil') };
    if (!opts!.volumeSource) return { type: 'status', status: badRequest('AddVolumeOptions requires VolumeSource to not be nil') };
    const vm = await fetchVM(deps.kube, ns, name);
    const volumes = templateVolumes(vm);
    if (volumes.some((v) => v.name === opts!.name)) {
      return { type: 'status', status: conflict(vmResource, name, `Unable to add volume [${opts!.name}] because volume with that name already exists`) };
    }
    const src = opts!.volumeSource;
    const volumeSource = src.persistentVolumeClaim
      ? { persistentVolumeClaim: { ...src.persistentVolumeClaim, hotpluggable: true } }
      : { dataVolume: { ...src.dataVolume, hotpluggable: true } };
    try {
      await queue(deps, ns, vm as never, { addVolumeOptions: { name: opts!.name, disk: { name: opts!.name, ...opts!.disk }, volumeSource } }, opts!.dryRun);
    } catch (e) {
      return { type: 'status', status: internalError(apiErrorMessage(e)) };
    }
    return empty(202);
  });
}

export function removeVolume(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    const g = await gates(deps);
    if (!g.includes('HotplugVolumes') && !g.includes('DeclarativeHotplugVolumes')) return { type: 'status', status: badRequest(gateMessage) };
    const { opts, error } = parse(body);
    if (error) return error;
    if (!opts!.name) return { type: 'status', status: badRequest('RemoveVolumeOptions requires name to be set') };
    const vm = await fetchVM(deps.kube, ns, name);
    const v = templateVolumes(vm).find((x) => x.name === opts!.name);
    if (!v) return { type: 'status', status: conflict(vmResource, name, `Unable to remove volume [${opts!.name}] because it does not exist`) };
    if (!(v.persistentVolumeClaim?.hotpluggable || v.dataVolume?.hotpluggable)) {
      return { type: 'status', status: conflict(vmResource, name, `Unable to remove volume [${opts!.name}] because it is not hotpluggable`) };
    }
    try {
      await queue(deps, ns, vm as never, { removeVolumeOptions: { name: opts!.name } }, opts!.dryRun);
    } catch (e) {
      return { type: 'status', status: internalError(apiErrorMessage(e)) };
    }
    return empty(202);
  });
}
