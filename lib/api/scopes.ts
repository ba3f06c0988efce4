import 'server-only';
import { z } from 'zod';
import type { K8sClient } from '../k8s/client';
import { workableNamespaces } from '../k8s/namespaces';
import { isResourceKey, resources, type ResourceDef } from '../k8s/resources';

// Query parameters shared by the list and watch routes.
const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const scopeQuery = z.object({
  resource: z.string().refine(isResourceKey, 'unknown resource'),
  namespace: z.array(z.string().max(63).regex(dns1123)).max(500),
  // Only the selectors the portal itself uses, so a caller cannot turn the route into a general query proxy.
  fieldSelector: z
    .string()
    .max(300)
    .regex(/^((metadata\.name|involvedObject\.name|involvedObject\.kind)=[A-Za-z0-9._-]+,?)*$/)
    .optional(),
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

// Namespaces asked for explicitly, or every namespace the user may work in ('' = one cluster-wide scope).
export async function resolveScopes(client: K8sClient, namespaces: string[]): Promise<string[]> {
  if (namespaces.length) return namespaces;
  const w = await workableNamespaces(client);
  return w.clusterWide ? [''] : w.namespaces;
}
