import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { requireGate } from '@/lib/api/gates';
import { CLUSTER_GATE } from '@/lib/admin/gates';
import { clusterView } from '@/lib/k8s/cluster';

export const dynamic = 'force-dynamic';

// The nodes with their allocatable and requested CPU and memory and what keeps VMs off them, for the cluster view.
// 403 unless the user may list nodes; the requests are summed only from pods the user may list cluster-wide.
export const GET = withUser(async (req, { client }) => {
  await requireGate(client, CLUSTER_GATE);
  return NextResponse.json(await clusterView(client, req.signal), { headers: { 'cache-control': 'no-store' } });
});
