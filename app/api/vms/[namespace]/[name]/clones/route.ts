import { randomBytes } from 'node:crypto';
import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { PortalError } from '@/lib/k8s/errors';
import { createObject, findObject, getObject, getSnapshotOfVm } from '@/lib/k8s/snapshots';
import { cloneRequest, type CloneResponse } from '@/lib/kubevirt/snapshot-requests';
import { buildClone, cloneObjectName, snapshotView, usable } from '@/lib/kubevirt/snapshots';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// a-z0-9 only: part of an object's name.
const suffix = () => [...randomBytes(5)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

// Clones the VM, or one of its snapshots, into a new VM as the signed-in user. The target name is checked to be
// free first: KubeVirt would otherwise only say so later, as a Failed clone.
export const POST = withUser(
  async (_req, { client, requestId, body }, p) => {
    const given = await body(cloneRequest);
    if (given.target === p.name) throw new PortalError(400, 'bad_request', 'A clone needs a name of its own.', { target: given.target });
    await getObject(client, 'virtualmachines', p.namespace, p.name);
    if (given.snapshot) {
      const view = snapshotView(await getSnapshotOfVm(client, p.namespace, p.name, given.snapshot));
      if (!usable(view)) throw new PortalError(409, 'conflict', `Snapshot ${given.snapshot} is not ready to use (phase ${view.phase}).`, { snapshot: given.snapshot, phase: view.phase });
    }
    if (await findObject(client, 'virtualmachines', p.namespace, given.target)) {
      throw new PortalError(409, 'conflict', `A VM named ${given.target} already exists.`, { upstreamReason: 'AlreadyExists', target: given.target });
    }
    const manifest = buildClone({ namespace: p.namespace, name: cloneObjectName(given.target, suffix()), vm: p.name, snapshot: given.snapshot, target: given.target });
    const clone = manifest.metadata!.name!;
    await createObject(client, 'virtualmachineclones', p.namespace, manifest);
    log('info', 'vm clone created', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, clone, target: given.target, ...(given.snapshot ? { snapshot: given.snapshot } : {}) });
    return NextResponse.json({ clone, target: given.target } satisfies CloneResponse, { status: 201 });
  },
  { params: vmPathParams },
);
