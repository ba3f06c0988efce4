import { withUser } from '@/lib/api/route';
import { defOf, parseScopeQuery, resolveScopes } from '@/lib/api/scopes';
import { listScopesWire } from '@/lib/k8s/list';

export const dynamic = 'force-dynamic';

// A view, not a copy (Node buffers sit on an ArrayBuffer).
const bytes = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

// A list with one resourceVersion per scope: the browser watches from exactly there (GET /api/watch). The body is
// the API server's lists passed through (ListWire), not parsed and serialized again: that is what keeps the route
// near a raw list's latency.
export const GET = withUser(async (req, { client }) => {
  const q = parseScopeQuery(req.nextUrl.searchParams);
  const scopes = await resolveScopes(client, q.namespace);
  const body = await listScopesWire(client, defOf(q.resource), scopes, { fieldSelector: q.fieldSelector, signal: req.signal });
  return new Response(bytes(body), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});
