import { mapLimit } from '../concurrency';
import { accessKey, type AccessAttributes } from '../kubevirt/actions';
import { MAX_ACCESS_CHECKS, type AccessCheck, type AccessResult } from '../shared/access-review';

// Access reviews for menus, asked in as few and as small requests as the answers allow. First each action once
// without a namespace (a cluster-wide review): what is allowed cluster-wide is allowed in every namespace, so an
// admin with 300 namespaces is answered by a handful of reviews. Only the rest is asked per namespace, split into
// requests the access route accepts (MAX_ACCESS_CHECKS) and sent a few at a time.

export type PostChecks = (checks: AccessCheck[]) => Promise<AccessResult[]>;

export interface BatchOptions {
  maxPerRequest?: number;
  parallel?: number;
}

const chunks = <T>(xs: T[], size: number): T[][] => Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

/** accessKey(namespace, attributes) → allowed, for every namespace and attribute set asked about. */
export async function askAccess(namespaces: readonly string[], attrs: readonly AccessAttributes[], post: PostChecks, opts: BatchOptions = {}): Promise<Map<string, boolean>> {
  const max = opts.maxPerRequest ?? MAX_ACCESS_CHECKS;
  const parallel = opts.parallel ?? 2;
  const nss = [...new Set(namespaces)];
  const distinct = [...new Map(attrs.map((a) => [accessKey('', a), a])).values()];
  const answers = new Map<string, boolean>();
  if (!nss.length || !distinct.length) return answers;

  const record = (results: AccessResult[]) => {
    for (const r of results) answers.set(accessKey(r.namespace ?? '', r), r.allowed);
  };
  for (const part of chunks(distinct, max)) record(await post(part.map((a) => ({ ...a }))));

  const everywhere = distinct.filter((a) => answers.get(accessKey('', a)) === true);
  const rest = distinct.filter((a) => answers.get(accessKey('', a)) !== true);
  const perNamespace = nss.flatMap((namespace) => rest.map((a) => ({ ...a, namespace })));
  const results = await mapLimit(chunks(perNamespace, max), parallel, post);
  results.forEach(record);

  const out = new Map<string, boolean>();
  for (const ns of nss) {
    for (const a of everywhere) out.set(accessKey(ns, a), true);
    for (const a of rest) {
      const allowed = answers.get(accessKey(ns, a));
      if (allowed !== undefined) out.set(accessKey(ns, a), allowed);
    }
  }
  return out;
}
