import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { defOf, parseScopeQuery, resolveScopes } from '@/lib/api/scopes';
import { listScopes } from '@/lib/k8s/list';

export const dynamic = 'force-dynamic';

// A list with one resourceVersion per scope: the browser watches from exactly there (GET /api/watch).
export const GET = withUser(async (req, { client }) => {
  const q = parseScopeQuery(req.nextUrl.searchParams);
  const scopes = await resolveScopes(client, q.namespace);
  const snapshot = await listScopes(client, defOf(q.resource), scopes, { fieldSelector: q.fieldSelector, signal: req.signal });
  return NextResponse.json(snapshot);
});
