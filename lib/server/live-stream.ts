import 'server-only';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { toPortalError } from '../k8s/errors';
import type { UserCaps } from '../k8s/limits';
import { narrowEvent, rvFitsPlan, type ScopePlan } from '../live/scope-plan';
import { metrics } from '../metrics/registry';
import { sseFrame, type OpResult, type ServerMessage, type StreamEvent, type SubEvent, type SubscribeOp, type SubscriptionOp } from '../shared/live-protocol';
import { SseQueue } from './sse-queue';

// One tab's live stream on the server: the subscriptions it carries, each followed by one upstream watch per
// scope, all writing into one bounded queue that the tab reads as server-sent events. Free of Next and of the
// API server (they come in as ApplyContext), so the bookkeeping (caps, LIVE, the slow-reader drop) is unit-tested.

export interface FollowArgs {
  op: SubscribeOp;
  scope: string;
  resourceVersion?: string;
  signal: AbortSignal;
  emit: (ev: StreamEvent) => void;
  onWatching: () => void;
}

// What a subscription request brings: its own user's client (fresh credentials), to plan and to watch with.
export interface ApplyContext {
  plan(op: SubscribeOp): Promise<ScopePlan>;
  follow(args: FollowArgs): Promise<void>;
}

export interface StreamOptions {
  caps: UserCaps;
  watchesPerUser: number;
  queueBytes: number;
  lifetimeMs: number;
  pingMs?: number;
  onClose?: (stream: LiveStream, why: 'closed' | 'too_slow' | 'expired') => void;
}

interface Subscription {
  abort: AbortController;
  scopes: number;
  watching: Set<string>;
  live: boolean;
}

const frame = (m: ServerMessage | SubEvent) => sseFrame(m);
const TOO_SLOW = frame({ type: 'END', error: { code: 'too_slow', message: 'The browser read the stream too slowly; list again and reconnect.' }, relist: true });

const fail = (id: string, code: string, message: string): OpResult => ({ id, ok: false, error: { code, message } });

export class LiveStream {
  readonly id = randomBytes(16).toString('base64url');
  private readonly queue: SseQueue;
  private readonly subs = new Map<string, Subscription>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private closed = false;

  constructor(
    readonly user: string,
    private readonly opts: StreamOptions,
  ) {
    this.queue = new SseQueue(opts.queueBytes);
    metrics().liveStreams.inc();
    this.send({ type: 'HELLO', streamId: this.id });
    // Comments keep proxies from closing an idle stream, and find a vanished reader (its queue fills up).
    this.timers.push(setInterval(() => this.write(': ping\n\n'), opts.pingMs ?? 15_000));
    // Every stream ends: the tab reconnects, re-authenticated, from the versions it holds (no relist). Jittered so
    // the tabs opened together do not all come back at the same moment.
    const lifetime = Math.round(opts.lifetimeMs * (0.9 + Math.random() * 0.2));
    this.timers.push(setTimeout(() => this.end('expired', 'The stream reached its lifetime; reconnect.'), lifetime));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get subscriptionCount(): number {
    return this.subs.size;
  }

  /** The bytes of the stream, pulled only as fast as the response is written to the browser. */
  body(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const chunk = await this.queue.next();
          if (chunk === null) controller.close();
          else controller.enqueue(encoder.encode(chunk));
        },
        cancel: () => this.close(),
      },
      { highWaterMark: 0 },
    );
  }

  /** Applies subscription ops in order; each answers for itself, so one refused subscription does not fail the rest. */
  async apply(ops: SubscriptionOp[], ctx: ApplyContext): Promise<OpResult[]> {
    const results: OpResult[] = [];
    for (const op of ops) {
      if (op.op === 'unsubscribe') {
        this.unsubscribe(op.id);
        results.push({ id: op.id, ok: true });
      } else {
        results.push(await this.subscribe(op, ctx));
      }
    }
    return results;
  }

  /** Tells the tab how the subscriptions it opened the stream with went (they were applied after HELLO). */
  sendResults(results: OpResult[]): void {
    this.send({ type: 'RESULTS', results });
  }

  /** Ends the stream with a last message telling the browser why; it reconnects (after listing again if relist). */
  end(code: 'expired' | 'shutdown', message: string): void {
    if (this.closed) return;
    this.queue.end(frame({ type: 'END', error: { code, message }, relist: false }));
    this.shutDown(code === 'expired' ? 'expired' : 'closed');
  }

  /** The browser went away (or the stream was cancelled): stop every watch and free the caps. */
  close(): void {
    if (this.closed) return;
    this.queue.end();
    this.shutDown('closed');
  }

  private shutDown(why: 'closed' | 'too_slow' | 'expired'): void {
    this.closed = true;
    metrics().liveStreams.dec();
    for (const t of this.timers) clearTimeout(t);
    for (const id of [...this.subs.keys()]) this.unsubscribe(id);
    this.opts.onClose?.(this, why);
  }

  private write(text: string): void {
    if (this.closed) return;
    if (!this.queue.push(text, TOO_SLOW)) this.shutDown('too_slow');
  }

  private send(message: ServerMessage | SubEvent): void {
    this.write(frame(message));
  }

  private unsubscribe(id: string): void {
    const sub = this.subs.get(id);
    if (!sub) return;
    this.subs.delete(id);
    sub.abort.abort();
  }

  private async subscribe(op: SubscribeOp, ctx: ApplyContext): Promise<OpResult> {
    // The same id again replaces the subscription (the browser resubscribing from newer versions).
    this.unsubscribe(op.id);
    let plan: ScopePlan;
    try {
      plan = await ctx.plan(op);
    } catch (err) {
      const e = toPortalError(err);
      return fail(op.id, e.code, e.message);
    }
    if (this.closed) return fail(op.id, 'not_found', 'The stream has ended; reconnect.');
    if (!rvFitsPlan(plan, op.rv)) return fail(op.id, 'gone', 'The versions sent are not those of the scopes to watch; list again.');
    const reserved = this.opts.caps.reserveWatches(this.user, plan.scopes.length);
    if (!reserved.ok) {
      return fail(
        op.id,
        'too_many_requests',
        reserved.cap === 'user'
          ? `Too many live lists are open for your account (at most ${this.opts.watchesPerUser} watches); close other portal tabs.`
          : 'The portal is following too many lists at the moment; try again later.',
      );
    }
    this.unsubscribe(op.id); // a concurrent request for the same id may have won while the plan was made
    const scopes = metrics().watchScopes.labels({ resource: op.resource });
    scopes.inc(plan.scopes.length);
    const sub: Subscription = { abort: new AbortController(), scopes: plan.scopes.length, watching: new Set(), live: false };
    // One signal for all of the subscription's scopes, each holding a few listeners at a time (its request, a wait for
    // a turn, a pause between watches): Node's warning at 10 would fire for any user with a dozen namespaces.
    setMaxListeners(10 + 3 * plan.scopes.length, sub.abort.signal);
    this.subs.set(op.id, sub);
    const current = () => this.subs.get(op.id) === sub;
    const only = plan.only ? new Set(plan.only) : undefined;
    if (sub.scopes === 0) this.markLive(op.id, sub);
    for (const scope of plan.scopes) {
      const emit = (raw: StreamEvent) => {
        const ev = narrowEvent(raw, only);
        if (!ev || !current()) return;
        if (ev.type === 'ERROR') {
          sub.watching.delete(scope);
          sub.live = false;
          this.send({ ...ev, final: ev.final ?? false, sub: op.id });
        } else {
          this.send({ ...ev, sub: op.id });
        }
      };
      const onWatching = () => {
        if (!current()) return;
        sub.watching.add(scope);
        if (sub.watching.size === sub.scopes) this.markLive(op.id, sub);
      };
      void ctx
        .follow({ op, scope, resourceVersion: op.rv[scope] || undefined, signal: sub.abort.signal, emit, onWatching })
        .catch((err: unknown) => emit({ type: 'ERROR', scope, error: { code: toPortalError(err).code, message: toPortalError(err).message }, final: true }))
        .finally(() => {
          this.opts.caps.releaseWatches(this.user, 1);
          scopes.dec();
        });
    }
    return { id: op.id, ok: true };
  }

  private markLive(id: string, sub: Subscription): void {
    if (sub.live) return;
    sub.live = true;
    this.send({ type: 'LIVE', sub: id });
  }
}
