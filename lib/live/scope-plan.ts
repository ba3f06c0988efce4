import type { KubeObject, ResourceVersions } from '../shared/kube-object';
import type { StreamEvent } from '../shared/live-protocol';

// Which upstream lists and watches serve a request for some namespaces of a resource. Each scope is one list and
// one watch socket to the API server: a namespace, or '' for the whole cluster. A user who may list and watch the
// resource cluster-wide gets one cluster-wide scope narrowed to the namespaces asked for (`only`), not one socket
// per namespace. The list route and the stream use the same plan, so the browser's resourceVersions (one per scope)
// fit the watch it asks for; a subscription whose versions name other scopes is refused and lists again.

export interface ScopePlan {
  scopes: string[];
  only?: string[]; // namespaces kept from a cluster-wide scope
}

export interface PlanInputs {
  mayWatchClusterWide: () => Promise<boolean>;
  workableNamespaces: () => Promise<string[]>;
}

/** asked: a deduplicated namespace list; none means every namespace the user may work in. */
export async function planScopes(asked: readonly string[], inputs: PlanInputs): Promise<ScopePlan> {
  // One namespace is one socket either way, and a namespaced watch is the cheaper one for the API server.
  if (asked.length === 1) return { scopes: [...asked] };
  if (await inputs.mayWatchClusterWide()) return asked.length ? { scopes: [''], only: [...asked] } : { scopes: [''] };
  if (asked.length) return { scopes: [...asked] };
  return { scopes: await inputs.workableNamespaces() };
}

/** The browser's versions must name exactly the planned scopes; none at all means "list first". */
export function rvFitsPlan(plan: ScopePlan, rv: ResourceVersions): boolean {
  const keys = Object.keys(rv);
  if (keys.length === 0) return true;
  if (keys.length !== plan.scopes.length) return false;
  const planned = new Set(plan.scopes);
  return keys.every((k) => planned.has(k));
}

const inOnly = (o: KubeObject, only: ReadonlySet<string>) => only.has(o.metadata?.namespace ?? '');

/** An event of a cluster-wide scope narrowed to the namespaces asked for; undefined when it concerns none of them. */
export function narrowEvent<T extends KubeObject>(ev: StreamEvent<T>, only: ReadonlySet<string> | undefined): StreamEvent<T> | undefined {
  if (!only) return ev;
  switch (ev.type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return inOnly(ev.object, only) ? ev : undefined;
    case 'RELIST':
      return { ...ev, items: ev.items.filter((o) => inOnly(o, only)) };
    default:
      return ev;
  }
}
