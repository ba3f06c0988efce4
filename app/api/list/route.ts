import { withUser } from '@/lib/api/route';
import { defOf, parseScopeQuery, planFor } from '@/lib/api/scopes';
import { listScopesWire } from '@/lib/k8s/list';

export const dynamic = 'force-dynamic';

// A view, not a copy (Node buffers sit on an ArrayBuffer).
const bytes = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

// A list with one resourceVersion per scope: the browser's live subscription follows from exactly there (the stream
// plans the same scopes). The body is the API server's lists passed through (ListWire), not parsed and serialized
// again: that is what keeps the route near a raw list's latency.
export const GET = withUser(async (req, { client }) => {
  const q = parseScopeQuery(req.nextUrl.searchParams);
  const def = defOf(q.resource);
  const plan = await planFor(client, def, q.namespace);
  const body = await listScopesWire(client, def, plan, { fieldSelector: q.fieldSelector, signal: req.signal });
  return new Response(bytes(body), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});
