import { withUser, type RouteContext } from '@/lib/api/route';
import { log } from '@/lib/log';
import { openLiveStream, subscriptionContext } from '@/lib/k8s/streams';
import { watchSessionEnd } from '@/lib/auth/session-end';
import { streamOpenRequest, type SubscribeOp } from '@/lib/shared/live-protocol';

export const dynamic = 'force-dynamic';

// The one live stream of a browser tab (lib/shared/live-protocol.ts): server-sent events of every subscription the tab
// makes with POST /api/stream/subscriptions. Opening it holds nothing upstream; refused (429) past the user's cap.
export const GET = withUser(async (req, ctx) => open(req, ctx, []));

// The same stream opened with its subscriptions, for a tab whose subscription requests may reach another replica.
export const POST = withUser(async (req, ctx) => open(req, ctx, (await ctx.body(streamOpenRequest)).ops));

function open(req: Request, { client, requestId, session }: RouteContext, ops: SubscribeOp[]): Response {
  let stopSessionWatch = () => {};
  const stream = openLiveStream(client, requestId, () => stopSessionWatch());
  // Authorized once, at open: the stream must not outlive a sign-out or the session's end.
  stopSessionWatch = watchSessionEnd(session, () => stream.close());
  req.signal.addEventListener('abort', () => stream.close(), { once: true });
  if (ops.length) {
    // After HELLO, which the stream queued first; each op answers for itself, so this does not reject on a refusal.
    stream
      .apply(ops, subscriptionContext(client, requestId))
      .then((results) => stream.sendResults(results))
      .catch((err: Error) => {
        log('error', 'inline subscriptions failed', { requestId, error: err.message });
        stream.close();
      });
  }
  return new Response(stream.body(), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: the compression middleware passes it through, so every event reaches the browser at once.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
