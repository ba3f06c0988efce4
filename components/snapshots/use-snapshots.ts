'use client';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useAccessChecks } from '../vms/use-access';
import { apiFetch } from '@/lib/live/api-client';
import { useLiveList } from '@/lib/live/use-live-list';
import { clonesOfVm, restoresOfVm, SNAPSHOT_ACCESS, snapshotsOfVm, type SnapshotDetails } from '@/lib/kubevirt/snapshots';
import type { CloneRequest, CloneResponse, RestoreRequest, RestoreResponse, TakeSnapshotRequest, TakeSnapshotResponse } from '@/lib/kubevirt/snapshot-requests';
import type { VirtualMachineClone, VirtualMachineRestore, VirtualMachineSnapshot } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

// The VM's snapshots, the restores and clones made from them, followed live: the namespace's lists, narrowed here
// (a custom resource's field selectors reach metadata only, so spec.source.name is matched in the browser).
export function useVmSnapshots(namespace: string, name: string) {
  const scope = useMemo(() => [namespace], [namespace]);
  const snapshots = useLiveList<VirtualMachineSnapshot>('virtualmachinesnapshots', { namespaces: scope });
  const restores = useLiveList<VirtualMachineRestore>('virtualmachinerestores', { namespaces: scope });
  const clones = useLiveList<VirtualMachineClone>('virtualmachineclones', { namespaces: scope });
  const mine = useMemo(() => snapshotsOfVm(snapshots.items, name), [snapshots.items, name]);
  const names = useMemo(() => new Set(mine.map((s) => s.metadata?.name ?? '')), [mine]);
  const myRestores = useMemo(() => restoresOfVm(restores.items, name, names), [restores.items, name, names]);
  const myClones = useMemo(() => clonesOfVm(clones.items, name, names), [clones.items, name, names]);
  return {
    snapshots: { ...snapshots, items: mine },
    restores: { ...restores, items: myRestores },
    clones: { ...clones, items: myClones },
    live: [snapshots.live, restores.live, clones.live],
  };
}

export const useSnapshotAccess = (namespace: string) => useAccessChecks(namespace, SNAPSHOT_ACCESS);

// Sizes of a finished snapshot: asked once (a finished snapshot does not change), not polled.
export function useSnapshotDetails(namespace: string, vm: string, snapshot: string, uid: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['snapshot-details', namespace, vm, snapshot, uid],
    queryFn: () => apiFetch<SnapshotDetails>(apiPaths.vmSnapshot(namespace, vm, snapshot)),
    enabled,
    staleTime: Infinity,
    retry: 1,
  });
}

export const takeSnapshot = (namespace: string, vm: string, body: TakeSnapshotRequest) =>
  apiFetch<TakeSnapshotResponse>(apiPaths.vmSnapshots(namespace, vm), { method: 'POST', body });

export const deleteSnapshot = (namespace: string, vm: string, snapshot: string, uid?: string) =>
  apiFetch<unknown>(apiPaths.vmSnapshot(namespace, vm, snapshot), { method: 'DELETE', body: uid ? { uid } : {} });

export const restoreSnapshot = (namespace: string, vm: string, body: RestoreRequest) =>
  apiFetch<RestoreResponse>(apiPaths.vmRestores(namespace, vm), { method: 'POST', body });

export const cloneVm = (namespace: string, vm: string, body: CloneRequest) => apiFetch<CloneResponse>(apiPaths.vmClones(namespace, vm), { method: 'POST', body });
