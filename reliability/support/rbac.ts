import { kubectlOk } from '../../e2e/support/cluster';

// What Kubernetes RBAC allows a user, asked as the cluster admin with SubjectAccessReviews (one kubectl call for a
// whole list), for the user's name and groups as the API server sees them after an OIDC sign-in: the token's groups
// plus system:authenticated.

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Absent: cluster-scoped, or (for a namespaced resource) every namespace. */
  namespace?: string;
}

export const attrKey = (a: Attributes) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''} ${a.namespace ?? '*'}`;

export function reviewsFor(user: string, groups: string[], attrs: Attributes[]): Map<string, boolean> {
  const unique = [...new Map(attrs.map((a) => [attrKey(a), a])).values()];
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: unique.map((a) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user,
        groups: [...groups, 'system:authenticated'],
        resourceAttributes: { verb: a.verb, group: a.group, resource: a.resource, ...(a.subresource ? { subresource: a.subresource } : {}), ...(a.namespace ? { namespace: a.namespace } : {}) },
      },
    })),
  };
  // One line per review, in the list's order ("true", or "false" / empty for a denial).
  const lines = kubectlOk(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}{"\\n"}'], JSON.stringify(list)).split('\n').slice(0, -1);
  if (lines.length !== unique.length) throw new Error(`asked ${unique.length} reviews, got ${lines.length} answers`);
  return new Map(unique.map((a, i) => [attrKey(a), lines[i] === 'true']));
}
