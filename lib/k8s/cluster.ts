import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, NODES_PATH } from './api-paths';
import { reviewAccess } from './access';
import { clusterNode, requestsByNode, type NodeLike, type PodLike } from '../admin/cluster';
import { MAX_CLUSTER_PODS, type ClusterResponse } from '../shared/cluster';
import { MAX_NODES } from '../shared/migrations';

// The cluster view, read as the signed-in user: the nodes, and the pods bound to them when the user may list pods
// cluster-wide. Pods are read a page at a time and only their requests are kept, so a large cluster costs the
// portal one page of pods in memory, not all of them.

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const POD_PAGE = 500;
// Bound and not finished: what the scheduler counts against a node.
const COUNTED = 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed';

interface Page<T> {
  metadata?: { continue?: string };
  items?: T[];
}

export async function clusterView(client: K8sClient, signal?: AbortSignal): Promise<ClusterResponse> {
  const [nodes, mayListPods] = await Promise.all([
    client.json<Page<NodeLike>>({ path: NODES_PATH, query: { limit: MAX_NODES }, ctx: { verb: 'list', resource: 'nodes' }, signal }),
    reviewAccess(client, { verb: 'list', group: '', resource: 'pods' }).then((r) => r.allowed),
  ]);
  let truncated = Boolean(nodes.metadata?.continue);
  let requested: ReturnType<typeof requestsByNode> | undefined;
  if (mayListPods) {
    requested = new Map();
    let token: string | undefined;
    let read = 0;
    do {
      const page = await client.json<Page<PodLike>>({
        path: collectionPath(PODS, ''),
        query: { fieldSelector: COUNTED, limit: POD_PAGE, continue: token },
        ctx: { verb: 'list', resource: 'pods' },
        signal,
      });
      for (const [node, r] of requestsByNode(page.items ?? [])) {
        const had = requested.get(node) ?? { cpuMillis: 0, memory: 0, pods: 0 };
        requested.set(node, { cpuMillis: had.cpuMillis + r.cpuMillis, memory: had.memory + r.memory, pods: had.pods + r.pods });
      }
      read += page.items?.length ?? 0;
      token = page.metadata?.continue || undefined;
    } while (token && read < MAX_CLUSTER_PODS);
    if (token) truncated = true;
  }
  const rows = (nodes.items ?? []).map((n) => clusterNode(n, requested)).sort((a, b) => a.name.localeCompare(b.name));
  return { nodes: rows, pods: mayListPods ? 'counted' : 'forbidden', ...(truncated ? { truncated } : {}) };
}
