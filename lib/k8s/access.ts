// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { SELF_SUBJECT_ACCESS_REVIEWS_PATH } from './api-paths';
import type { K8sClient } from './client';
import { identityKey } from './identity';
import { scrub } from './errors';
import { mapLimit } from '../concurrency';
import type { AccessCheck, AccessResult } from '../shared/access-review';

// SelfSubjectAccessReviews: what the signed-in user may do. Any authenticated user may create them, so asking never
// produces a 403; answers are cached briefly per identity because menus ask the same questions again and again.

const TTL_MS = 15_000;
type Cache = Map<string, { at: number; result: AccessResult }>;
const cache: Cache = ((globalThis as { __portalAccessCache?: Cache }).__portalAccessCache ??= new Map());

function keyOf(client: K8sClient, c: AccessCheck): string {
  return [identityKey(client.identity), c.verb, c.group, c.resource, c.subresource ?? '', c.namespace ?? '', c.name ?? ''].join('|');
}

export async function reviewAccess(client: K8sClient, check: AccessCheck): Promise<AccessResult> {
  const key = keyOf(client, check);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.result;
  const review = await client.json<{ status?: { allowed?: boolean; reason?: string } }>({
    method: 'POST',
    path: SELF_SUBJECT_ACCESS_REVIEWS_PATH,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { ...check } },
    },
    ctx: { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
  });
  // The authorizer's reason goes to the browser (a menu says why an action is off): scrubbed like any upstream text.
  const reason = review.status?.reason ? scrub(review.status.reason) : '';
  const result: AccessResult = { ...check, allowed: review.status?.allowed === true, ...(reason ? { reason } : {}) };
  if (cache.size > 50_000) cache.clear();
  cache.set(key, { at: Date.now(), result });
  return result;
}

// After an admin's change to bindings, no user is answered from reviews asked before it.
export function forgetAccessReviews(): void {
  cache.clear();
}

/** One user's reviews only: the API server refused them something a cached review had allowed. */
export function forgetAccessReviewsOf(client: K8sClient): void {
  const prefix = `${identityKey(client.identity)}|`;
  for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
}

// Reviews of one request in flight at once; the cache answers repeated questions without a request at all.
const REVIEW_CONCURRENCY = 8;

export function reviewAll(client: K8sClient, checks: AccessCheck[]): Promise<AccessResult[]> {
  return mapLimit(checks, REVIEW_CONCURRENCY, (c) => reviewAccess(client, c));
}
