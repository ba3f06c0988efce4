import { NextResponse } from 'next/server';
import { z } from 'zod';
import { withUser } from '@/lib/api/route';
import { reviewAll } from '@/lib/k8s/access';
import { MAX_ACCESS_CHECKS } from '@/lib/live/access-batch';

export const dynamic = 'force-dynamic';

const name = z.string().max(253).regex(/^[a-z0-9.*-]*$/);
const body = z.object({
  checks: z
    .array(
      z.object({
        verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
        group: name,
        resource: name,
        subresource: name.optional(),
        namespace: name.optional(),
        name: name.optional(),
      }),
    )
    // The browser splits larger sets (lib/live/access-batch.ts).
    .max(MAX_ACCESS_CHECKS),
});

// SelfSubjectAccessReviews in one round trip, so a menu knows what to disable before the user clicks. The server
// runs them a few at a time (lib/k8s/access.ts), and cached answers cost nothing.
export const POST = withUser(async (_req, { client, body: readBody }) => {
  const { checks } = await readBody(body);
  return NextResponse.json({ results: await reviewAll(client, checks) });
});
