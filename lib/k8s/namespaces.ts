import 'server-only';
import { NAMESPACES_PATH } from './api-paths';
import type { K8sClient } from './client';
import { forgetAccessReviewsOf, reviewAccess, reviewAll } from './access';
import { identityKey } from './identity';
import { portalConnection } from './kubeconfig';
import { settings } from '../settings';
import { openRequest, readAll } from './transport';
import type { NamespacesResponse } from '../shared/namespaces';

// The namespaces a user may work in. A user who may list VMs cluster-wide (an admin) gets every namespace and one
// cluster-wide watch. Anyone else gets the candidate namespaces where a SelfSubjectAccessReview says they may list
// VMs: one review per candidate, never a list that the API server would refuse with 403.
//
// Candidates come from, in order: the user's own namespace list (when RBAC allows it), PORTAL_NAMESPACES, or the
// names the portal's kubeconfig can list. Only names pass through the portal's credentials, and only names that
// the user's own review allowed reach the browser.

const TTL_MS = 30_000;
type Cache = Map<string, { at: number; value: NamespacesResponse }>;
const cache: Cache = ((globalThis as { __portalNsCache?: Cache }).__portalNsCache ??= new Map());

const VM = { group: 'kubevirt.io', resource: 'virtualmachines' };

// After an admin changes who may work where (a project made, its members edited, deleted), every user's list is asked
// again on next use rather than up to TTL_MS late.
export function forgetNamespaces(): void {
  cache.clear();
}

/**
 * One of the user's namespaces refused a list or watch that their cached answers allowed: most often it was deleted,
 * or their binding in it removed, since the cache was filled. Their namespaces and reviews are asked afresh on next
 * use instead of up to TTL_MS later (a list planned from them would be refused again until then).
 */
export function forgetWorkableNamespaces(client: K8sClient): void {
  cache.delete(identityKey(client.identity));
  forgetAccessReviewsOf(client);
}

/** Whether `namespace` is still one the user may work in, asked afresh (forgetWorkableNamespaces). */
export async function stillWorkable(client: K8sClient, namespace: string): Promise<boolean> {
  forgetWorkableNamespaces(client);
  return (await workableNamespaces(client)).namespaces.includes(namespace);
}

async function namesVisibleToPortal(): Promise<string[]> {
  const conn = await portalConnection();
  if (!conn) return [];
  // The last source of candidates: when it fails the user is offered none, as with no credentials of the portal's own.
  try {
    const res = await openRequest(conn, { path: NAMESPACES_PATH, timeoutMs: 10_000 });
    if (res.statusCode !== 200) {
      res.destroy();
      return [];
    }
    const list = JSON.parse((await readAll(res)).toString('utf8')) as { items?: { metadata: { name: string } }[] };
    return (list.items ?? []).map((n) => n.metadata.name);
  } catch {
    return [];
  }
}

async function listNamespaceNames(client: K8sClient): Promise<string[]> {
  const list = await client.json<{ items: { metadata: { name: string } }[] }>({
    path: NAMESPACES_PATH,
    ctx: { verb: 'list', resource: 'namespaces' },
  });
  return list.items.map((n) => n.metadata.name);
}

export async function workableNamespaces(client: K8sClient): Promise<NamespacesResponse> {
  const key = identityKey(client.identity);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;

  const [clusterWide, canListNamespaces] = await Promise.all([
    reviewAccess(client, { verb: 'list', ...VM }).then((r) => r.allowed),
    reviewAccess(client, { verb: 'list', group: '', resource: 'namespaces' }).then((r) => r.allowed),
  ]);
  const candidates = [...new Set(canListNamespaces ? await listNamespaceNames(client) : (settings().cluster.namespaces ?? (await namesVisibleToPortal())))];
  let namespaces: string[];
  if (clusterWide) namespaces = candidates;
  else {
    const reviews = await reviewAll(client, candidates.map((namespace) => ({ verb: 'list', ...VM, namespace })));
    namespaces = candidates.filter((_, i) => reviews[i]!.allowed);
  }
  const value = { namespaces: [...new Set(namespaces)].sort(), clusterWide };
  cache.set(key, { at: Date.now(), value });
  return value;
}
