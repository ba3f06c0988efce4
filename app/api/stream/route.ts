import { withUser } from '@/lib/api/route';
import { openLiveStream } from '@/lib/k8s/streams';
import { watchSessionEnd } from '@/lib/auth/session-end';

export const dynamic = 'force-dynamic';

// The one live stream of a browser tab (lib/shared/live-protocol.ts): server-sent events of every subscription the tab
// makes with POST /api/stream/subscriptions. Opening it holds nothing upstream; refused (429) past the user's cap.
export const GET = withUser(async (req, { client, requestId, session }) => {
  let stopSessionWatch = () => {};
  const stream = openLiveStream(client, requestId, () => stopSessionWatch());
  // Authorized once, at open: the stream must not outlive a sign-out or the session's end.
  stopSessionWatch = watchSessionEnd(session, () => stream.close());
  req.signal.addEventListener('abort', () => stream.close(), { once: true });
  return new Response(stream.body(), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: the compression middleware passes it through, so every event reaches the browser at once.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
});
