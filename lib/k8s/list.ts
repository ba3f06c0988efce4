import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, qualifiedName, type ResourceDef } from './resources';
import { stripManagedFields, trimObject } from './trim';
import type { KubeObject } from '../live/types';

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

// The list route's body: each scope's list as the API server sent it, minus managedFields, under its scope
// (ListWire). Neither parsed nor re-serialized, so the route stays close to a raw list's latency; the browser builds
// the ListSnapshot (snapshotFromWire).
export async function listScopesWire(client: K8sClient, def: ResourceDef, scopes: string[], opts: ListOptions = {}): Promise<Buffer> {
  const bodies = await Promise.all(
    scopes.map((scope) =>
      client.raw({
        path: collectionPath(def, scope),
        query: { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
        ctx: { verb: 'list', resource: qualifiedName(def), namespace: scope || undefined },
        signal: opts.signal,
      }),
    ),
  );
  const parts: Buffer[] = [Buffer.from('{"lists":{')];
  bodies.forEach((body, i) => {
    parts.push(Buffer.from(`${i ? ',' : ''}${JSON.stringify(scopes[i])}:`), stripManagedFields(body));
  });
  parts.push(Buffer.from('}}'));
  return Buffer.concat(parts);
}
