import 'server-only';
import { z } from 'zod';
import type { K8sClient } from '../k8s/client';
import { reviewAccess } from '../k8s/access';
import { workableNamespaces } from '../k8s/namespaces';
import { planScopes, type ScopePlan } from '../live/scope-plan';
import { fieldSelector, namespaceSet, resourceKey } from '../shared/live-protocol';
import { resources, type ResourceDef } from '../shared/resources';

// The list route's query: the same checks as a live subscription's (lib/shared/live-protocol.ts).
const scopeQuery = z.object({
  resource: resourceKey,
  namespace: namespaceSet,
  fieldSelector: fieldSelector.optional(),
});

export function parseScopeQuery(params: URLSearchParams) {
  return scopeQuery.parse({
    resource: params.get('resource') ?? '',
    namespace: params.getAll('namespace'),
    fieldSelector: params.get('fieldSelector') ?? undefined,
  });
}

export function defOf(resource: string): ResourceDef {
  return resources[resource as keyof typeof resources];
}

// The scopes that serve these namespaces of a resource for this user (lib/live/scope-plan.ts). Both reviews are
// cached per user (lib/k8s/access.ts), so the list route and the stream ask the API server once between them.
export function planFor(client: K8sClient, def: ResourceDef, namespaces: string[]): Promise<ScopePlan> {
  return planScopes(namespaces, {
    mayWatchClusterWide: async () => {
      const attrs = { group: def.group, resource: def.plural };
      const [list, watch] = await Promise.all([reviewAccess(client, { verb: 'list', ...attrs }), reviewAccess(client, { verb: 'watch', ...attrs })]);
      return list.allowed && watch.allowed;
    },
    workableNamespaces: async () => (await workableNamespaces(client)).namespaces,
  });
}
