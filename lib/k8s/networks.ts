import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, objectPath } from './api-paths';
import { reviewAccess, reviewAll } from './access';
import { listScope } from './list';
import { workableNamespaces } from './namespaces';
import { mapLimit } from '../concurrency';
import type { KubeObject } from '../shared/kube-object';
import { qualifiedName, resources } from '../shared/resources';

// NetworkAttachmentDefinitions as the signed-in user: the ones they can list (for the overlap check), created and
// deleted with their own rights. The API server still decides each create and delete.

const NAD = resources.networkattachmentdefinitions;
export const NAD_RESOURCE = qualifiedName(NAD);

export type NadObject = KubeObject & { spec?: { config?: string } };

export interface VisibleNads {
  items: NadObject[];
  // 'all': one cluster-wide list; else the namespaces whose NADs were read.
  scope: 'all' | string[];
}

const LIST_CONCURRENCY = 8;

/** Every NAD the user may list: cluster-wide when allowed, else in each namespace they work in where a review allows. */
export async function visibleNads(client: K8sClient, signal?: AbortSignal): Promise<VisibleNads> {
  const attrs = { verb: 'list', group: NAD.group, resource: NAD.plural };
  if ((await reviewAccess(client, attrs)).allowed) return { items: (await listScope<NadObject>(client, NAD, '', { signal })).items, scope: 'all' };
  const { namespaces } = await workableNamespaces(client);
  const reviews = await reviewAll(client, namespaces.map((namespace) => ({ ...attrs, namespace })));
  const readable = namespaces.filter((_, i) => reviews[i]!.allowed);
  const lists = await mapLimit(readable, LIST_CONCURRENCY, (ns) => listScope<NadObject>(client, NAD, ns, { signal }));
  return { items: lists.flatMap((l) => l.items), scope: readable };
}

export function createNad(client: K8sClient, manifest: { metadata: { namespace: string; name: string } }): Promise<NadObject> {
  const { namespace, name } = manifest.metadata;
  return client.json<NadObject>({ method: 'POST', path: collectionPath(NAD, namespace), body: manifest, ctx: { verb: 'create', resource: NAD_RESOURCE, namespace, name } });
}

export function deleteNad(client: K8sClient, namespace: string, name: string): Promise<unknown> {
  return client.json({
    method: 'DELETE',
    path: objectPath({ resource: 'networkattachmentdefinitions', namespace, name }),
    ctx: { verb: 'delete', resource: NAD_RESOURCE, namespace, name },
  });
}
