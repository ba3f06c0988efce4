import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { requireGate } from '@/lib/api/gates';
import { vmPathParams } from '@/lib/api/path-params';
import { NETWORKS_GATE } from '@/lib/admin/gates';
import { deleteNad } from '@/lib/k8s/networks';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// Deletes a shared network as the signed-in user. VMs that name it keep running; their next start fails to find it,
// which the page says before the user confirms.
export const DELETE = withUser(
  async (_req, { client, requestId }, { namespace, name }) => {
    await requireGate(client, NETWORKS_GATE);
    await deleteNad(client, namespace, name);
    log('info', 'network attachment definition deleted', { requestId, user: client.identity.username, namespace, name });
    return NextResponse.json({ deleted: { namespace, name } });
  },
  { params: vmPathParams },
);
