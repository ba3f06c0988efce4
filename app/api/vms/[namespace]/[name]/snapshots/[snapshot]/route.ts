import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { deleteObject, getSnapshotOfVm, snapshotDetails } from '@/lib/k8s/snapshots';
import { deleteSnapshotRequest } from '@/lib/kubevirt/snapshot-requests';
import { log } from '@/lib/log';
import { objectName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

const params = vmPathParams.extend({ snapshot: objectName });

// What the snapshot holds per volume, with sizes where the user may read them (the page asks once per finished
// snapshot: a finished snapshot does not change).
export const GET = withUser(
  async (_req, { client }, p) => {
    const s = await getSnapshotOfVm(client, p.namespace, p.name, p.snapshot);
    return NextResponse.json(await snapshotDetails(client, p.namespace, s), { headers: { 'cache-control': 'no-store' } });
  },
  { params },
);

// Deletes one of the VM's snapshots; KubeVirt then removes its content and volume snapshots (deletionPolicy Delete).
export const DELETE = withUser(
  async (_req, { client, requestId, body }, p) => {
    const given = await body(deleteSnapshotRequest);
    const s = await getSnapshotOfVm(client, p.namespace, p.name, p.snapshot);
    await deleteObject(client, 'virtualmachinesnapshots', p.namespace, p.snapshot, given.uid ?? s.metadata?.uid);
    log('info', 'vm snapshot deleted', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, snapshot: p.snapshot });
    return NextResponse.json({ ok: true, snapshot: p.snapshot }, { status: 202 });
  },
  { params },
);
