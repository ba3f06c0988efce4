import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { PortalError } from '@/lib/k8s/errors';
import { createObject, findObject, getObject, getSnapshotOfVm, snapshotContent, vmSubresource } from '@/lib/k8s/snapshots';
import { restoreRequest, type RestoreResponse } from '@/lib/kubevirt/snapshot-requests';
import { buildRestore, needsStopForRestore, newVmPatches, restoreObjectName, snapshotView, usable } from '@/lib/kubevirt/snapshots';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// Restores the VM (or a new VM) from one of its snapshots, as the signed-in user. In place, KubeVirt replaces the
// disks of a stopped VM only: with stopFirst the VM is asked to stop here and the restore is made to wait for it
// (targetReadinessPolicy WaitEventually), so the page then follows one object, the restore, to its end; starting
// the VM again is the page's, once the restore is complete. The restore is sent as a dry run before the VM is
// stopped, so a refusal (RBAC, validation) leaves the VM running; if the real create still fails after the stop,
// the VM is started again.
export const POST = withUser(
  async (_req, { client, requestId, body }, p) => {
    const given = await body(restoreRequest);
    const target = given.target ?? p.name;
    const inPlace = target === p.name;
    const vm = await getObject<VirtualMachine>(client, 'virtualmachines', p.namespace, p.name);
    const snapshot = await getSnapshotOfVm(client, p.namespace, p.name, given.snapshot);
    const view = snapshotView(snapshot);
    if (!usable(view)) throw new PortalError(409, 'conflict', `Snapshot ${given.snapshot} is not ready to use (phase ${view.phase}).`, { snapshot: given.snapshot, phase: view.phase });

    let stop = false;
    let patches: string[] | undefined;
    if (inPlace) {
      // KubeVirt's own words for a restore that meets another (its webhook's).
      if (vm.status?.restoreInProgress) throw new PortalError(409, 'conflict', `VirtualMachineRestore "${vm.status.restoreInProgress}" in progress`, { restore: vm.status.restoreInProgress });
      if (vm.status?.snapshotInProgress) throw new PortalError(409, 'conflict', `VirtualMachineSnapshot "${vm.status.snapshotInProgress}" in progress`, { snapshot: vm.status.snapshotInProgress });
      if (needsStopForRestore(vm)) {
        if (!given.stopFirst) throw new PortalError(409, 'conflict', `VM ${p.name} is not stopped: KubeVirt restores a stopped VM. Ask for it to be stopped first (stopFirst).`, { vmRunning: true });
        stop = true;
      }
    } else {
      if (await findObject(client, 'virtualmachines', p.namespace, target)) {
        throw new PortalError(409, 'conflict', `A VM named ${target} already exists: a restore to a new VM needs a name not in use.`, { upstreamReason: 'AlreadyExists', target });
      }
      patches = newVmPatches((await snapshotContent(client, p.namespace, snapshot))?.spec?.source?.virtualMachine?.spec);
    }

    const manifest = buildRestore({ namespace: p.namespace, name: restoreObjectName(target, new Date()), snapshot: given.snapshot, target, stoppedByPortal: stop, patches });
    const restore = manifest.metadata!.name!;
    await createObject(client, 'virtualmachinerestores', p.namespace, manifest, true);
    if (stop) {
      try {
        await vmSubresource(client, p.namespace, p.name, 'stop');
      } catch (err) {
        // Already stopping: the restore waits for it all the same.
        if (!(err instanceof PortalError && err.status === 409)) throw err;
      }
    }
    try {
      await createObject(client, 'virtualmachinerestores', p.namespace, manifest);
    } catch (err) {
      if (stop) {
        await vmSubresource(client, p.namespace, p.name, 'start').catch(() => undefined);
        log('info', 'vm restore refused after stop; vm started again', { requestId, namespace: p.namespace, name: p.name, status: err instanceof PortalError ? err.status : 500 });
      }
      throw err;
    }
    log('info', 'vm restore created', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, snapshot: given.snapshot, restore, target, stopped: stop });
    return NextResponse.json({ restore, target, stopped: stop } satisfies RestoreResponse, { status: 201 });
  },
  { params: vmPathParams },
);
