import { z } from 'zod';
import type { KubeObject } from './kube-object';
import { namespaceName } from './names';
import { isResourceKey } from './resources';

// The live protocol between a browser tab and the portal, checked with zod on both sides.
//
//   GET  /api/stream                    one server-sent event stream per tab; its first message is
//                                       HELLO { streamId } (random, bound to the signed-in user on the server)
//   POST /api/stream/subscriptions      { streamId, ops: [subscribe | unsubscribe] } → { results: [OpResult] }
//   POST /api/stream                    { ops: [subscribe] }: the same stream, opened with its subscriptions; their
//                                       results come on it as RESULTS after HELLO
//
// A stream lives in one portal process. Behind a balancer that sends a tab's requests to any replica, a
// subscription request can reach a replica that does not hold the stream (404): the tab then opens a new stream
// carrying every subscription it has, which needs no second request, so each change of the page's lists costs at
// most one reopen, from the versions in the cache (no relist).
//
// A subscription is one live list (resource, namespaces, fieldSelector) followed from the resourceVersions the
// browser's cache holds per scope; its events carry its id. After a reconnect the browser subscribes everything
// again on the new stream from its cache, so one socket per tab carries every list of the page.

const MAX_NAMESPACES = 500;
export const MAX_OPS = 64;

/** What one watch of one scope yields, as the server's watch code emits it and the browser's cache folds it. */
export type StreamEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; scope: string; object: T }
  // The server listed a scope again (after 410 Gone, or because the watch could not resume): replace it whole.
  | { type: 'RELIST'; scope: string; items: T[]; resourceVersion: string }
  // Progress only: the watch of a scope is at this resourceVersion (from a bookmark); no objects changed.
  | { type: 'BOOKMARK'; scope: string; resourceVersion: string }
  // final: the watch of the scope has stopped (refused credentials or permission); otherwise it is being retried.
  | { type: 'ERROR'; scope: string; error: { code: string; message: string }; final?: boolean };

// Only the selectors the portal itself uses, so a caller cannot turn the routes into a general query proxy.
export const fieldSelector = z
  .string()
  .max(300)
  .regex(/^((metadata\.name|involvedObject\.name|involvedObject\.kind)=[A-Za-z0-9._-]+,?)*$/, 'unsupported field selector');

export const resourceKey = z.string().refine(isResourceKey, 'unknown resource');

/** Namespaces as a set: duplicates asked for are one scope, not two watches. */
export const namespaceSet = z
  .array(namespaceName)
  .max(MAX_NAMESPACES)
  .transform((xs) => [...new Set(xs)].sort());

const subscriptionId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'not a subscription id');
export const streamId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a stream id');

// Scope '' is the whole cluster; a resourceVersion is opaque (never compared), '' means "none yet".
const scopeKey = z.union([z.literal(''), namespaceName]);
const resourceVersion = z.string().max(64).regex(/^[A-Za-z0-9._:-]*$/, 'not a resourceVersion');
export const resourceVersions = z
  .record(scopeKey, resourceVersion)
  .refine((r) => Object.keys(r).length <= MAX_NAMESPACES, `at most ${MAX_NAMESPACES} scopes`);

const subscribeOp = z.strictObject({
  op: z.literal('subscribe'),
  id: subscriptionId,
  resource: resourceKey,
  namespaces: namespaceSet.default([]),
  fieldSelector: fieldSelector.optional(),
  rv: resourceVersions.default({}),
});

const unsubscribeOp = z.strictObject({ op: z.literal('unsubscribe'), id: subscriptionId });

export const subscriptionsRequest = z.strictObject({
  streamId,
  ops: z
    .array(z.discriminatedUnion('op', [subscribeOp, unsubscribeOp]))
    .min(1)
    .max(MAX_OPS),
});

// At most MAX_OPS lists on one page: the inline subscriptions of a stream opened with them.
export const streamOpenRequest = z.strictObject({ ops: z.array(subscribeOp).min(1).max(MAX_OPS) });
export type StreamOpenRequest = z.input<typeof streamOpenRequest>;

export type SubscribeOp = z.infer<typeof subscribeOp>;
export type SubscriptionOp = z.infer<typeof subscriptionsRequest>['ops'][number];
export type SubscriptionsRequest = z.input<typeof subscriptionsRequest>;

const liveError = z.object({ code: z.string().max(64), message: z.string().max(2000) });

const opResult = z.discriminatedUnion('ok', [
  z.object({ id: subscriptionId, ok: z.literal(true) }),
  z.object({ id: subscriptionId, ok: z.literal(false), error: liveError }),
]);
export const subscriptionsResponse = z.object({ results: z.array(opResult) });
export type OpResult = z.infer<typeof opResult>;

// A check, not a copy: a relist of 10,000 objects goes through here.
const kubeObject = z.custom<KubeObject>((x) => typeof x === 'object' && x !== null && typeof (x as KubeObject).metadata === 'object', 'an object without metadata');
const scope = scopeKey;
const sub = subscriptionId;
const objectEvent = <T extends 'ADDED' | 'MODIFIED' | 'DELETED'>(type: T) => z.object({ type: z.literal(type), sub, scope, object: kubeObject });

const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('HELLO'), streamId }),
  objectEvent('ADDED'),
  objectEvent('MODIFIED'),
  objectEvent('DELETED'),
  z.object({ type: z.literal('RELIST'), sub, scope, items: z.array(kubeObject), resourceVersion }),
  z.object({ type: z.literal('BOOKMARK'), sub, scope, resourceVersion }),
  // final: the watch of that scope has stopped (401/403); otherwise the server is retrying it.
  z.object({ type: z.literal('ERROR'), sub, scope, error: liveError, final: z.boolean() }),
  // Every scope of the subscription has an open watch again.
  z.object({ type: z.literal('LIVE'), sub }),
  // The answers to the subscriptions the stream was opened with, as POST /api/stream/subscriptions would give them.
  z.object({ type: z.literal('RESULTS'), results: z.array(opResult).max(MAX_OPS) }),
  // The server ends the stream: reconnect, and list again first when relist (events were dropped).
  z.object({ type: z.literal('END'), error: liveError, relist: z.boolean() }),
]);

export type ServerMessage = z.infer<typeof serverMessage>;
export type SubEvent = StreamEvent & { sub: string };

/** Parses one `data:` payload of the stream; undefined for anything that is not a protocol message. */
export function parseServerMessage(data: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const r = serverMessage.safeParse(value);
  return r.success ? r.data : undefined;
}

/** One server-sent event carrying one message. JSON never contains a raw newline, so one data line suffices. */
export function sseFrame(message: ServerMessage | SubEvent): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}
