import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { NODES_PATH } from '@/lib/k8s/api-paths';
import { summarizeNode } from '@/lib/kubevirt/migrations';
import { MAX_NODES, type NodesResponse } from '@/lib/shared/migrations';

export const dynamic = 'force-dynamic';

type NodeList = { metadata?: { continue?: string }; items?: Parameters<typeof summarizeNode>[0][] };

// The nodes a migration may target, for the migrate dialog's picker, listed as the signed-in user: a user who may
// not list nodes gets the API server's 403 (the dialog asks an access review first and does not call this then).
// Only what the picker needs leaves the portal, not the node objects.
export const GET = withUser(async (req, { client }) => {
  const list = await client.json<NodeList>({ path: NODES_PATH, query: { limit: MAX_NODES }, ctx: { verb: 'list', resource: 'nodes' }, signal: req.signal });
  const body: NodesResponse = { nodes: (list.items ?? []).map(summarizeNode), ...(list.metadata?.continue ? { truncated: true } : {}) };
  return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
});
