import 'server-only';
import type { K8sClient } from './client';
import { collectionPath } from './api-paths';
import { stripManagedFields, trimObject } from './trim';
import { mapLimit } from '../concurrency';
import type { ScopePlan } from '../live/scope-plan';
import type { KubeObject } from '../shared/kube-object';
import type { KubeList } from '../shared/list-wire';
import { qualifiedName, type ResourceDef } from '../shared/resources';

export interface ListOptions {
  fieldSelector?: string;
  labelSelector?: string;
  signal?: AbortSignal;
}

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

// The list route's body: each scope's list as the API server sent it, minus managedFields, under its scope
// (ListWire, lib/shared/list-wire.ts). Neither parsed nor re-serialized, so the route stays close to a raw list's latency; the browser builds
// the ListSnapshot (snapshotFromWire). Only a cluster-wide list narrowed to some namespaces (plan.only) is parsed,
// to drop the other namespaces' objects.
export async function listScopesWire(client: K8sClient, def: ResourceDef, plan: ScopePlan, opts: ListOptions = {}): Promise<Buffer> {
  const scopes = plan.scopes;
  const bodies = await mapLimit(scopes, LIST_CONCURRENCY, (scope) =>
    client.raw({
      path: collectionPath(def, scope),
      query: { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
      ctx: { verb: 'list', resource: qualifiedName(def), namespace: scope || undefined },
      signal: opts.signal,
    }),
  );
  const only = plan.only ? new Set(plan.only) : undefined;
  const parts: Buffer[] = [Buffer.from('{"lists":{')];
  bodies.forEach((body, i) => {
    let stripped = stripManagedFields(body);
    if (only) {
      const list = JSON.parse(stripped.toString('utf8')) as KubeList<KubeObject>;
      list.items = (list.items ?? []).filter((o) => only.has(o.metadata?.namespace ?? ''));
      stripped = Buffer.from(JSON.stringify(list));
    }
    parts.push(Buffer.from(`${i ? ',' : ''}${JSON.stringify(scopes[i])}:`), stripped);
  });
  parts.push(Buffer.from('}}'));
  return Buffer.concat(parts);
}
