import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { createOptions } from '@/lib/k8s/create-options';
import { PortalError } from '@/lib/k8s/errors';
import { createOptionsQuery } from '@/lib/shared/create-api';

export const dynamic = 'force-dynamic';

// What the create wizard may offer in a namespace (the first the user may create VMs in, without one).
export const GET = withUser(async (req, { client }) => {
  const q = createOptionsQuery.safeParse({ namespace: req.nextUrl.searchParams.get('namespace') ?? undefined });
  if (!q.success) throw new PortalError(400, 'bad_request', 'namespace is not a valid namespace name');
  const options = await createOptions(client, q.data.namespace);
  return NextResponse.json(options, { headers: { 'cache-control': 'no-store' } });
});
