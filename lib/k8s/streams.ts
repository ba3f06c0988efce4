import 'server-only';
import type { K8sClient } from './client';
import { PortalError } from './errors';
import { identityKey } from './identity';
import { UserCaps } from './limits';
import { stillWorkable } from './namespaces';
import { followScope } from './watch';
import { defOf, planFor } from '../api/scopes';
import { LiveStream, type ApplyContext } from '../server/live-stream';
import { log } from '../log';
import { settings } from '../settings';

// The open live streams of this portal process, by id. A stream id is random and is only honoured for the user
// who opened the stream, so knowing one is not enough to change another user's subscriptions. Kept on globalThis
// because every route is its own module instance (and development reloads them). One process holds them: replicas
// would need the subscription requests routed to the process holding the stream.

interface LiveState {
  streams: Map<string, LiveStream>;
  caps: UserCaps;
}

// Read on first use, not at import: `next build` loads this module without the run-time settings.
function live(): LiveState {
  return ((globalThis as { __portalLive?: LiveState }).__portalLive ??= { streams: new Map(), caps: new UserCaps(settings().limits) });
}

/** `onEnd` runs once when the stream closes, for whatever reason. */
export function openLiveStream(client: K8sClient, requestId: string, onEnd?: () => void): LiveStream {
  const limits = settings().limits;
  const state = live();
  const user = identityKey(client.identity);
  if (!state.caps.openStream(user)) {
    throw new PortalError(429, 'too_many_requests', `Too many live streams are open for your account (at most ${limits.streamsPerUser}); close other portal tabs.`, { limit: limits.streamsPerUser });
  }
  const stream = new LiveStream(user, {
    caps: state.caps,
    watchesPerUser: limits.watchesPerUser,
    queueBytes: limits.streamQueueBytes,
    lifetimeMs: limits.streamLifetimeMs,
    onClose: (s, why) => {
      state.streams.delete(s.id);
      state.caps.closeStream(user);
      if (why === 'too_slow') log('warn', 'live stream dropped: the reader was too slow', { requestId, user: client.identity.username });
      onEnd?.();
    },
  });
  state.streams.set(stream.id, stream);
  return stream;
}

export function findLiveStream(streamId: string, client: K8sClient): LiveStream | undefined {
  const stream = live().streams.get(streamId);
  return stream && stream.user === identityKey(client.identity) ? stream : undefined;
}

// Plans and watches with the client of the subscription request, so a resubscription after the session was
// refreshed watches with the fresh credentials.
//
// A namespace the plan chose itself (none asked for) whose watch is refused for good is asked about afresh: when the
// user may no longer work there (it was deleted, or their binding removed), the browser is told to list again ('gone'),
// and its new list is planned without it, instead of the page showing the refusal until it is reloaded.
export function subscriptionContext(client: K8sClient, requestId: string): ApplyContext {
  return {
    plan: (op) => planFor(client, defOf(op.resource), op.namespaces),
    follow: (f) => {
      const chosenByPortal = f.op.namespaces.length === 0 && f.scope !== '';
      const emit: typeof f.emit = (ev) => {
        if (!(chosenByPortal && ev.type === 'ERROR' && ev.final && REFUSED.has(ev.error.code))) return f.emit(ev);
        void stillWorkable(client, f.scope).then(
          (still) => f.emit(still ? ev : { ...ev, error: { code: 'gone', message: `You no longer work in namespace ${f.scope}; the list is loaded again without it.` } }),
          () => f.emit(ev),
        );
      };
      return followScope({
        client,
        def: defOf(f.op.resource),
        scope: f.scope,
        resourceVersion: f.resourceVersion,
        fieldSelector: f.op.fieldSelector,
        signal: f.signal,
        emit,
        onWatching: f.onWatching,
        requestId,
      });
    },
  };
}

const REFUSED = new Set(['forbidden', 'not_found']);
