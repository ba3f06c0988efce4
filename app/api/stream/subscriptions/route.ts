import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { PortalError } from '@/lib/k8s/errors';
import { findLiveStream, subscriptionContext } from '@/lib/k8s/streams';
import { subscriptionsRequest } from '@/lib/shared/live-protocol';

export const dynamic = 'force-dynamic';

// Changes the subscriptions of one of the user's live streams. Each op answers for itself ({ id, ok, error? });
// the events then arrive on the stream, tagged with the subscription id.
export const POST = withUser(async (_req, { client, requestId, body }) => {
  const { streamId, ops } = await body(subscriptionsRequest);
  const stream = findLiveStream(streamId, client);
  if (!stream) throw new PortalError(404, 'not_found', 'This live stream has ended; reconnect.');
  return NextResponse.json({ results: await stream.apply(ops, subscriptionContext(client, requestId)) });
});
