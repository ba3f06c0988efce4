import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, objectPath } from './api-paths';
import { PortalError } from './errors';
import { parseQuantity } from '../kubevirt/quantity';
import { totalBytes, type SnapshotDetails, type SnapshotVolumeSize } from '../kubevirt/snapshots';
import type { VirtualMachineSnapshot, VirtualMachineSnapshotContent } from '../kubevirt/types';
import { qualifiedName, resources, type ResourceDef, type ResourceKey } from '../shared/resources';

// The Snapshots tab's calls to the API server, as the signed-in user: reading the VM and its snapshots, creating
// snapshots, restores and clones (dry run first where a later step depends on it), and the sizes behind a snapshot.

// Read only here, for sizes: not followed live, so not in the resource table.
const SNAPSHOT_CONTENTS: ResourceDef = { group: 'snapshot.kubevirt.io', version: 'v1beta1', plural: 'virtualmachinesnapshotcontents', namespaced: true };
const VOLUME_SNAPSHOTS: ResourceDef = { group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshots', namespaced: true };

const FIELD_MANAGER = 'kubevirt-portal';

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof PortalError && err.status === 404) return undefined;
    throw err;
  }
}

export function getObject<T>(client: K8sClient, resource: ResourceKey, namespace: string, name: string): Promise<T> {
  return client.json<T>({
    path: objectPath({ resource, namespace, name }),
    ctx: { verb: 'get', resource: qualifiedName(resources[resource]), namespace, name },
  });
}

export const findObject = <T>(client: K8sClient, resource: ResourceKey, namespace: string, name: string) => orUndefined(getObject<T>(client, resource, namespace, name));

/** The snapshot, checked to be one of this VM's: a route under a VM's path acts on that VM's snapshots only. */
export async function getSnapshotOfVm(client: K8sClient, namespace: string, vm: string, snapshot: string): Promise<VirtualMachineSnapshot> {
  const s = await getObject<VirtualMachineSnapshot>(client, 'virtualmachinesnapshots', namespace, snapshot);
  if (s.spec?.source?.kind !== 'VirtualMachine' || s.spec.source.name !== vm) {
    throw new PortalError(409, 'conflict', `Snapshot ${snapshot} is not a snapshot of VM ${vm}.`, { snapshot, vm });
  }
  return s;
}

export function createObject<T>(client: K8sClient, resource: ResourceKey, namespace: string, manifest: { metadata?: { name?: string } }, dryRun = false): Promise<T> {
  return client.json<T>({
    method: 'POST',
    path: collectionPath(resources[resource], namespace),
    query: dryRun ? { dryRun: 'All', fieldManager: FIELD_MANAGER } : { fieldManager: FIELD_MANAGER },
    body: manifest,
    ctx: { verb: 'create', resource: qualifiedName(resources[resource]), namespace, name: manifest.metadata?.name },
  });
}

export function deleteObject(client: K8sClient, resource: ResourceKey, namespace: string, name: string, uid?: string): Promise<unknown> {
  return client.json({
    method: 'DELETE',
    path: objectPath({ resource, namespace, name }),
    body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(uid ? { preconditions: { uid } } : {}) },
    ctx: { verb: 'delete', resource: qualifiedName(resources[resource]), namespace, name },
  });
}

/** PUT virtualmachines/{name}/start or /stop, as the VM actions route does. */
export function vmSubresource(client: K8sClient, namespace: string, name: string, subresource: 'start' | 'stop'): Promise<unknown> {
  return client.json({
    method: 'PUT',
    path: objectPath({ resource: 'virtualmachines', namespace, name, subresource }),
    body: {},
    ctx: { verb: 'update', resource: `virtualmachines/${subresource}`, namespace, name },
  });
}

/** The VM as it was when the snapshot was taken, from its content; undefined when that cannot be read. */
export async function snapshotContent(client: K8sClient, namespace: string, s: VirtualMachineSnapshot): Promise<VirtualMachineSnapshotContent | undefined> {
  const name = s.status?.virtualMachineSnapshotContentName;
  if (!name) return undefined;
  try {
    return await client.json<VirtualMachineSnapshotContent>({
      path: `${collectionPath(SNAPSHOT_CONTENTS, namespace)}/${encodeURIComponent(name)}`,
      ctx: { verb: 'get', resource: qualifiedName(SNAPSHOT_CONTENTS), namespace, name },
    });
  } catch (err) {
    if (err instanceof PortalError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}

/**
 * What a snapshot holds, per volume, with the size a restore of it needs (the VolumeSnapshot's status.restoreSize).
 * A user who may not read the content or a VolumeSnapshot gets the sizes left out, not an error.
 */
export async function snapshotDetails(client: K8sClient, namespace: string, s: VirtualMachineSnapshot): Promise<SnapshotDetails> {
  const snapshot = s.metadata?.name ?? '';
  const content = await snapshotContent(client, namespace, s);
  if (!content) return { snapshot, readable: false, volumes: [] };
  const volumes: SnapshotVolumeSize[] = await Promise.all(
    (content.spec?.volumeBackups ?? []).map(async (b) => {
      const vs = b.volumeSnapshotName
        ? await client
            .json<{ status?: { restoreSize?: string } }>({
              path: `${collectionPath(VOLUME_SNAPSHOTS, namespace)}/${encodeURIComponent(b.volumeSnapshotName)}`,
              ctx: { verb: 'get', resource: qualifiedName(VOLUME_SNAPSHOTS), namespace, name: b.volumeSnapshotName },
            })
            .catch((err: unknown) => {
              if (err instanceof PortalError && (err.status === 404 || err.status === 403)) return undefined;
              throw err;
            })
        : undefined;
      const restoreSize = vs?.status?.restoreSize;
      const bytes = restoreSize === undefined ? undefined : parseQuantity(restoreSize);
      return { volume: b.volumeName, ...(restoreSize !== undefined ? { restoreSize: String(restoreSize) } : {}), ...(bytes !== undefined ? { bytes } : {}) };
    }),
  );
  const total = totalBytes(volumes);
  return { snapshot, readable: true, volumes, ...(total !== undefined ? { totalBytes: total } : {}) };
}
