import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { createObject, getObject } from '@/lib/k8s/snapshots';
import { takeSnapshotRequest, type TakeSnapshotResponse } from '@/lib/kubevirt/snapshot-requests';
import { buildSnapshot } from '@/lib/kubevirt/snapshots';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// Takes a snapshot of the VM as the signed-in user. The VM is read first, so a snapshot of a VM that is not there
// is a clear 404 rather than a snapshot KubeVirt leaves waiting for its source.
export const POST = withUser(
  async (_req, { client, requestId, body }, p) => {
    const given = await body(takeSnapshotRequest);
    await getObject(client, 'virtualmachines', p.namespace, p.name);
    const manifest = buildSnapshot({ namespace: p.namespace, vm: p.name, name: given.name, description: given.description, failureDeadlineMinutes: given.failureDeadlineMinutes });
    await createObject(client, 'virtualmachinesnapshots', p.namespace, manifest);
    log('info', 'vm snapshot created', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, snapshot: given.name });
    return NextResponse.json({ snapshot: given.name } satisfies TakeSnapshotResponse, { status: 201 });
  },
  { params: vmPathParams },
);
