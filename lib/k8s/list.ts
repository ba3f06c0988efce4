import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, qualifiedName, type ResourceDef } from './resources';
import { trimObject } from './trim';
import type { KubeObject, ListSnapshot } from '../live/types';

export interface ListOptions {
  fieldSelector?: string;
  labelSelector?: string;
  signal?: AbortSignal;
}

interface KubeList<T> {
  metadata: { resourceVersion: string };
  items: T[];
}

export async function listScope<T extends KubeObject>(client: K8sClient, def: ResourceDef, scope: string, opts: ListOptions = {}) {
  const list = await client.json<KubeList<T>>({
    path: collectionPath(def, scope),
    query: { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
    ctx: { verb: 'list', resource: qualifiedName(def), namespace: scope || undefined },
    signal: opts.signal,
  });
  return { items: list.items.map(trimObject), resourceVersion: list.metadata.resourceVersion };
}

// Lists several scopes (namespaces, or '' for the whole cluster) in parallel; each keeps its own resourceVersion
// because a watch resumes per scope.
export async function listScopes<T extends KubeObject>(client: K8sClient, def: ResourceDef, scopes: string[], opts: ListOptions = {}): Promise<ListSnapshot<T>> {
  const results = await Promise.all(scopes.map((s) => listScope<T>(client, def, s, opts)));
  return {
    items: results.flatMap((r) => r.items),
    resourceVersions: Object.fromEntries(scopes.map((s, i) => [s, results[i]!.resourceVersion])),
  };
}
