import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, objectPath } from './api-paths';
import { PortalError } from './errors';
import { log } from '../log';
import {
  addVolumeOptions,
  blankClaimName,
  blankDataVolume,
  checkExpansion,
  claimExpansionPatch,
  claimOf,
  DISK_ACCESS,
  accessResource,
  removeVolumeOptions,
  takenDiskNames,
  volumeKind,
  type AddDiskRequest,
  type AddDiskResponse,
  type ClaimLike,
  type HotplugSource,
} from '../kubevirt/disks';
import type { VirtualMachine } from '../kubevirt/types';
import { qualifiedName, resources, type ResourceDef } from '../shared/resources';

// A VM's disk changes as the signed-in user (the Disks tab's routes): hot-plug a new blank disk or a claim that
// exists, unplug a hot-plugged one, grow a disk's claim. The API server and virt-api decide; their refusals come
// back mapped. A blank disk is two objects (a DataVolume, then the VM's volume): both are tried as dry runs first,
// and a DataVolume whose hot-plug is then refused is deleted again, so a failed add leaves nothing behind.

const VM = qualifiedName(resources.virtualmachines);
const DATAVOLUMES = qualifiedName(resources.datavolumes);
const CLAIMS = 'persistentvolumeclaims';
const STORAGE_CLASSES: ResourceDef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };

export async function getVm(client: K8sClient, namespace: string, name: string): Promise<VirtualMachine> {
  return client.json<VirtualMachine>({ path: objectPath({ resource: 'virtualmachines', namespace, name }), ctx: { verb: 'get', resource: VM, namespace, name } });
}

async function getClaim(client: K8sClient, namespace: string, name: string): Promise<ClaimLike> {
  return client.json<ClaimLike>({ path: objectPath({ resource: 'persistentvolumeclaims', namespace, name }), ctx: { verb: 'get', resource: CLAIMS, namespace, name } });
}

function vmSubresource(client: K8sClient, namespace: string, name: string, subresource: 'addvolume' | 'removevolume', body: unknown) {
  const access = subresource === 'addvolume' ? DISK_ACCESS.addVolume : DISK_ACCESS.removeVolume;
  return client.json({
    method: 'PUT',
    path: objectPath({ resource: 'virtualmachines', namespace, name, subresource }),
    body,
    ctx: { verb: access.verb, resource: accessResource(access), namespace, name },
  });
}

function hotplug(client: K8sClient, namespace: string, vm: string, disk: string, source: HotplugSource, dryRun = false) {
  return vmSubresource(client, namespace, vm, 'addvolume', addVolumeOptions(disk, source, dryRun));
}

/** Hot-plugs a new blank disk or a claim that exists into the VM (or, when it is stopped, adds it for its next start). */
export async function addDisk(client: K8sClient, namespace: string, vmName: string, req: AddDiskRequest, requestId: string): Promise<AddDiskResponse> {
  const vm = await getVm(client, namespace, vmName);
  // virt-api checks the volume's name too, but only after a blank disk's DataVolume would have been made.
  if (takenDiskNames(vm).has(req.name)) {
    throw new PortalError(409, 'conflict', `VM ${vmName} already has a disk or volume named ${req.name}.`, { field: 'name', reason: `a disk or volume named ${req.name} exists` });
  }
  if (req.source === 'claim') {
    // Read as the user first: a claim they may not read, or that is going away, is not offered to the VM.
    const claim = await getClaim(client, namespace, req.claim);
    if (claim.metadata?.deletionTimestamp) throw new PortalError(409, 'conflict', `Claim ${req.claim} is being deleted.`, { field: 'claim', reason: 'the claim is being deleted' });
    await hotplug(client, namespace, vmName, req.name, { claim: req.claim });
    return { ok: true, disk: req.name, claim: req.claim };
  }

  const name = blankClaimName(vmName, req.name);
  const dv = blankDataVolume({ namespace, vm: { name: vmName, uid: vm.metadata?.uid }, name, size: req.size, storageClass: req.storageClass, accessMode: req.accessMode, volumeMode: req.volumeMode });
  const createDv = (dryRun: boolean) =>
    client.json<{ metadata?: { uid?: string } }>({
      method: 'POST',
      path: collectionPath(resources.datavolumes, namespace),
      ...(dryRun ? { query: { dryRun: 'All' } } : {}),
      body: dv,
      ctx: { verb: 'create', resource: DATAVOLUMES, namespace, name },
    });
  await createDv(true);
  await hotplug(client, namespace, vmName, req.name, { dataVolume: name }, true);
  const made = await createDv(false);
  try {
    await hotplug(client, namespace, vmName, req.name, { dataVolume: name });
  } catch (err) {
    throw await withCleanup(err, client, namespace, name, made.metadata?.uid, requestId);
  }
  return { ok: true, disk: req.name, claim: name, dataVolume: name };
}

// The DataVolume made for a hot-plug that was then refused goes again (its uid as precondition: never one made
// meanwhile by someone else). When even that fails, the error says what was left behind.
async function withCleanup(err: unknown, client: K8sClient, namespace: string, name: string, uid: string | undefined, requestId: string): Promise<unknown> {
  try {
    await client.json({
      method: 'DELETE',
      path: objectPath({ resource: 'datavolumes', namespace, name }),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(uid ? { preconditions: { uid } } : {}) },
      ctx: { verb: 'delete', resource: DATAVOLUMES, namespace, name },
    });
    return err;
  } catch (cleanup) {
    log('warn', 'disk cleanup failed', { requestId, namespace, dataVolume: name, error: (cleanup as Error)?.message });
    if (!(err instanceof PortalError)) return err;
    return new PortalError(err.status, err.code, err.message, { ...err.details, leftBehind: [{ kind: 'DataVolume', namespace, name }] });
  }
}

/** Unplugs a hot-plugged disk (virt-api refuses any other, with its reason). Its claim stays. */
export async function removeDisk(client: K8sClient, namespace: string, vmName: string, disk: string): Promise<void> {
  await vmSubresource(client, namespace, vmName, 'removevolume', removeVolumeOptions(disk));
}

/** Whether a class allows expansion; undefined when it cannot be read (then the API server's admission decides). */
async function classAllowsExpansion(client: K8sClient, name: string | undefined): Promise<boolean | undefined> {
  if (!name) return undefined;
  try {
    const sc = await client.json<{ allowVolumeExpansion?: boolean }>({
      path: `${collectionPath(STORAGE_CLASSES, '')}/${encodeURIComponent(name)}`,
      ctx: { verb: 'get', resource: 'storageclasses.storage.k8s.io', name },
    });
    return sc.allowVolumeExpansion === true;
  } catch (err) {
    if (err instanceof PortalError && [403, 404].includes(err.status)) return undefined;
    throw err;
  }
}

export interface Expansion {
  claim: string;
  from?: string;
  to: string;
}

/** Grows the claim behind one of the VM's disks to `size`: bigger only, where its class allows it. */
export async function expandDiskClaim(client: K8sClient, namespace: string, vmName: string, disk: string, size: string): Promise<Expansion> {
  const vm = await getVm(client, namespace, vmName);
  const volume = (vm.spec?.template?.spec?.volumes ?? []).find((v) => v.name === disk);
  if (!volume) throw new PortalError(404, 'not_found', `VM ${vmName} has no disk ${disk}.`, { reason: `no disk ${disk}` });
  const kind = volumeKind(volume);
  const claimName = kind === 'persistentVolumeClaim' || kind === 'dataVolume' ? claimOf(volume) : undefined;
  if (!claimName) throw new PortalError(409, 'conflict', `Disk ${disk} is a ${kind} volume; only a disk on a volume claim can be expanded.`, { reason: `a ${kind} volume has no claim` });
  const claim = await getClaim(client, namespace, claimName);
  const problem = checkExpansion(claim, size, await classAllowsExpansion(client, claim.spec?.storageClassName));
  switch (problem?.key) {
    case undefined:
      break;
    case 'disks.error.notLarger':
      throw new PortalError(400, 'bad_request', `The new size must be larger than the claim's ${problem.vars.current}: a claim only grows.`, { field: 'size', current: problem.vars.current });
    case 'disks.reason.notExpandable':
      throw new PortalError(409, 'conflict', `StorageClass ${problem.vars.storageClass} does not allow volume expansion.`, { reason: 'allowVolumeExpansion is not true', storageClass: problem.vars.storageClass });
    case 'disks.reason.claimNotBound':
      throw new PortalError(409, 'conflict', `Claim ${claimName} is not bound (${claim.status?.phase ?? 'no phase'}); only a bound claim can be expanded.`, { reason: 'the claim is not bound' });
    default:
      throw new PortalError(400, 'bad_request', `${size} is not a size.`, { field: 'size' });
  }
  await client.json({
    method: 'PATCH',
    path: objectPath({ resource: 'persistentvolumeclaims', namespace, name: claimName }),
    contentType: 'application/merge-patch+json',
    body: claimExpansionPatch(size, claim.metadata?.resourceVersion),
    ctx: { verb: DISK_ACCESS.patchClaim.verb, resource: CLAIMS, namespace, name: claimName },
  });
  const from = claim.spec?.resources?.requests?.storage;
  return { claim: claimName, ...(from ? { from } : {}), to: size };
}
