import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { reviewAll } from '@/lib/k8s/access';
import { accessRequest } from '@/lib/shared/access-review';

export const dynamic = 'force-dynamic';

// SelfSubjectAccessReviews in one round trip, so a menu knows what to disable before the user clicks. The server
// runs them a few at a time (lib/k8s/access.ts), and cached answers cost nothing.
export const POST = withUser(async (_req, { client, body: readBody }) => {
  const { checks } = await readBody(accessRequest);
  return NextResponse.json({ results: await reviewAll(client, checks) });
});
