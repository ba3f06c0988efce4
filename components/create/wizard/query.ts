import { namespaceName, objectName } from '@/lib/shared/names';

// The wizard's address: /vms/create, ?namespace= to preselect one, ?from=<namespace>/<name> to start from an
// existing VM ("create like this"). Anything that is not a valid name is ignored, never passed on.

export interface CreateQuery {
  namespace?: string;
  from?: { namespace: string; name: string };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

export function parseCreateQuery(sp: Record<string, string | string[] | undefined>): CreateQuery {
  const out: CreateQuery = {};
  const ns = namespaceName.safeParse(one(sp.namespace));
  if (ns.success) out.namespace = ns.data;
  const from = one(sp.from);
  const slash = from?.indexOf('/') ?? -1;
  if (from && slash > 0) {
    const fns = namespaceName.safeParse(from.slice(0, slash));
    const fname = objectName.safeParse(from.slice(slash + 1));
    if (fns.success && fname.success) out.from = { namespace: fns.data, name: fname.data };
  }
  return out;
}

export function createHref(q: CreateQuery = {}): string {
  const p = new URLSearchParams();
  if (q.namespace) p.set('namespace', q.namespace);
  if (q.from) p.set('from', `${q.from.namespace}/${q.from.name}`);
  const s = p.toString();
  return s ? `/vms/create?${s}` : '/vms/create';
}
