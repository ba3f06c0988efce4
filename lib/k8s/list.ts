import 'server-only';
import { Readable } from 'node:stream';
import type { K8sClient, K8sRequest } from './client';
import { collectionPath } from './api-paths';
import { PortalError } from './errors';
import { settings } from '../settings';
import { stripManagedFields, trimObject } from './trim';
import { openListWire } from './list-stream';
import type { ScopePlan } from '../live/scope-plan';
import type { KubeObject } from '../shared/kube-object';
import type { KubeList } from '../shared/list-wire';
import { qualifiedName, type ResourceDef } from '../shared/resources';

export interface ListOptions {
  fieldSelector?: string;
  labelSelector?: string;
  signal?: AbortSignal;
}

export interface WireOptions extends ListOptions {
  /**
   * Given, a namespace scope the API server refuses (403) or does not find (404) is left out of the list, and this is
   * told of it; not given, the refusal is the list's.
   */
  onRefused?: (namespace: string) => void;
}

/** A namespace's list refused or not found: the namespace (or the user's binding in it) may be gone. */
export const isRefusal = (err: unknown) => err instanceof PortalError && (err.status === 403 || err.status === 404);

export async function listScope<T extends KubeObject>(client: K8sClient, def: ResourceDef, scope: string, opts: ListOptions = {}) {
  const list = await client.json<KubeList<T>>({
    path: collectionPath(def, scope),
    query: { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
    ctx: { verb: 'list', resource: qualifiedName(def), namespace: scope || undefined },
    signal: opts.signal,
  });
  return { items: (list.items ?? []).map(trimObject), resourceVersion: list.metadata?.resourceVersion ?? '' };
}

// Lists of one request in flight at once: enough to hide latency, few enough that a user with hundreds of
// namespaces queues behind their own requests, not in front of everyone else's.
const LIST_CONCURRENCY = 8;

// The list route's body: each scope's list as the API server sends it, minus managedFields, under its scope
// (ListWire, lib/shared/list-wire.ts), streamed through as it arrives (list-stream.ts): neither parsed nor
// re-serialized nor assembled, so the route stays close to a raw list's latency; the browser builds the ListSnapshot
// (snapshotFromWire). Resolves once the first scopes have answered, so a refusal is still the route's error status.
// Only a cluster-wide list narrowed to some namespaces (plan.only) is read whole and parsed, to drop the other
// namespaces' objects (the API server cannot select several namespaces).
export async function listScopesWire(client: K8sClient, def: ResourceDef, plan: ScopePlan, opts: WireOptions = {}): Promise<ReadableStream<Uint8Array>> {
  const only = plan.only ? new Set(plan.only) : undefined;
  const request = (scope: string): K8sRequest => ({
    path: collectionPath(def, scope),
    query: { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
    ctx: { verb: 'list', resource: qualifiedName(def), namespace: scope || undefined },
    signal: opts.signal,
  });
  return openListWire({
    scopes: plan.scopes,
    // Each open scope holds one of the user's request slots until its body is read: never open more than there are.
    window: Math.min(LIST_CONCURRENCY, settings().limits.requestsPerUser),
    open: async (i) => {
      const scope = plan.scopes[i]!;
      const req = request(scope);
      try {
        if (!only) return await client.body(req);
        const list = JSON.parse(stripManagedFields(await client.raw(req)).toString('utf8')) as KubeList<KubeObject>;
        list.items = (list.items ?? []).filter((o) => only.has(o.metadata?.namespace ?? ''));
        return Readable.from([Buffer.from(JSON.stringify(list))]);
      } catch (err) {
        if (!(scope && opts.onRefused && isRefusal(err))) throw err;
        opts.onRefused(scope);
        return null;
      }
    },
  });
}
