import { positiveInt, withDefault, type Parsed } from './vars';

// What one user may hold of the portal's shared resources (lib/k8s/limits.ts applies them).

export const limitVars = {
  PORTAL_MAX_STREAMS_PER_USER: withDefault(positiveInt, '16'),
  PORTAL_MAX_WATCHES_PER_USER: withDefault(positiveInt, '256'),
  PORTAL_MAX_WATCHES: withDefault(positiveInt, '4096'),
  PORTAL_MAX_REQUESTS_PER_USER: withDefault(positiveInt, '16'),
  PORTAL_UPSTREAM_WAIT_MS: withDefault(positiveInt, '10000'),
  PORTAL_STREAM_QUEUE_BYTES: withDefault(positiveInt, String(4 * 1024 * 1024)),
  PORTAL_STREAM_LIFETIME_MS: withDefault(positiveInt, String(5 * 60_000)),
};

export interface LimitSettings {
  streamsPerUser: number; // open live streams (one per browser tab)
  watchesPerUser: number; // upstream watches held for one user's subscriptions, all streams together
  watchesTotal: number; // upstream watches of the whole portal process
  requestsPerUser: number; // short requests (lists, reviews, actions) of one user in flight to the API server
  requestWaitMs: number; // how long a request may wait for its turn or for a pooled socket before it is refused
  streamQueueBytes: number; // events queued for one slow stream reader before the stream is dropped
  streamLifetimeMs: number; // a stream ends after this and the browser reconnects (re-authenticated) from its versions
}

export function limitSettings(v: Parsed<typeof limitVars>): LimitSettings {
  return {
    streamsPerUser: v.PORTAL_MAX_STREAMS_PER_USER,
    watchesPerUser: v.PORTAL_MAX_WATCHES_PER_USER,
    watchesTotal: v.PORTAL_MAX_WATCHES,
    requestsPerUser: v.PORTAL_MAX_REQUESTS_PER_USER,
    requestWaitMs: v.PORTAL_UPSTREAM_WAIT_MS,
    streamQueueBytes: v.PORTAL_STREAM_QUEUE_BYTES,
    streamLifetimeMs: v.PORTAL_STREAM_LIFETIME_MS,
  };
}
