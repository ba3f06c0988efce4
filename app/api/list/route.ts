import { withUser } from '@/lib/api/route';
import { defOf, parseScopeQuery, planFor } from '@/lib/api/scopes';
import { listScopesWire } from '@/lib/k8s/list';
import { forgetWorkableNamespaces } from '@/lib/k8s/namespaces';

export const dynamic = 'force-dynamic';

// A list with one resourceVersion per scope: the browser's live subscription follows from exactly there (the stream
// plans the same scopes). The body is the API server's lists streamed through as they arrive (ListWire), not parsed,
// serialized or assembled again: that is what keeps the route near a raw list's latency. It is returned once the
// first scopes have answered, so a refusal still comes back as an error status; a failure later ends the body
// without the envelope's close, which the browser's JSON reader refuses.
//
// With no namespaces asked for, the plan's namespaces are the portal's cached idea of where the user may work. One that
// refuses the list (deleted, or the user's binding in it removed, since) is left out and clears that idea: the list
// is what a fresh plan would list, and the browser's subscription, planned afresh, follows the same namespaces.
export const GET = withUser(async (req, { client }) => {
  const q = parseScopeQuery(req.nextUrl.searchParams);
  const def = defOf(q.resource);
  const plan = await planFor(client, def, q.namespace);
  const body = await listScopesWire(client, def, plan, {
    fieldSelector: q.fieldSelector,
    signal: req.signal,
    onRefused: q.namespace.length === 0 ? () => forgetWorkableNamespaces(client) : undefined,
  });
  return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});
