import { errorOfBody } from '../shared/error-body';
import type { ResourceVersions } from '../shared/kube-object';
import { MAX_OPS, parseServerMessage, subscriptionsResponse, type OpResult, type StreamEvent, type StreamOpenRequest, type SubscriptionOp, type SubscriptionsRequest } from '../shared/live-protocol';
import type { ResourceKey } from '../shared/resources';
import type { LiveStatus } from './live-status';
import { SseParser } from './sse';

// The browser side of the live protocol (lib/shared/live-protocol.ts): one stream per tab carrying every live list of the
// page. A list subscribes with the versions its cache holds; events come back tagged with the subscription's id
// and are handed over in short batches. When the stream drops, every subscription is made again on a new stream
// from the versions then in the cache, so nothing is missed and nothing is polled. A new stream is opened with the
// subscriptions the tab has (POST /api/stream), so it works behind a balancer that spreads a tab's requests over
// replicas: a subscription request that meets a replica without the stream (404) reopens. The I/O comes in as StreamDeps,
// so the protocol handling is unit-tested without a browser.

export interface SubscriptionSpec {
  resource: ResourceKey;
  namespaces?: string[];
  fieldSelector?: string;
}

export interface SubscriptionHandlers {
  /** The versions per scope the cache holds now (undefined: no list yet). */
  rvs(): ResourceVersions | undefined;
  events(batch: StreamEvent[]): void;
  status(status: LiveStatus): void;
  /** Lists again into the cache (events were dropped, or the versions no longer fit); rejects when it failed. */
  relist(): Promise<void>;
}

export interface StreamFailure {
  status: number;
  code: string;
  message: string;
}

export interface StreamDeps {
  /** Opens a stream; with ops, opened with those subscriptions (their results come as RESULTS). */
  open(signal: AbortSignal, ops: StreamOpenRequest['ops']): Promise<Response>;
  post(body: SubscriptionsRequest): Promise<unknown>;
  /** After a 401: refresh the session (or go to sign-in, answering false). */
  refreshSession(): Promise<boolean>;
  /** What a rejection of post (or of relist) was. */
  failureOf(err: unknown): StreamFailure;
  flushMs?: number;
  idleMs?: number;
  /** How long the tab stays hidden before its stream is closed (setVisible). */
  hiddenGraceMs?: number;
  backoffMs?(failures: number): number;
}

interface Sub {
  key: number;
  gen: number;
  spec: SubscriptionSpec;
  h: SubscriptionHandlers;
  pending: StreamEvent[];
  flushTimer?: ReturnType<typeof setTimeout>;
  needsRelist: boolean;
  retries: number;
  relisting?: boolean;
  relistAgain?: boolean;
}

interface Connection {
  abort: AbortController;
  streamId?: string;
  // The subscriptions the stream was opened with, by wire id.
  inline: Map<string, Sub>;
}

const defaultBackoff = (failures: number) => Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
// Retries of one subscription after a refused version set or credential before it shows the error. A relist whose
// scopes differ from the last one's is progress, not a retry: while namespaces are taken from the user one by one, each
// list and watch can meet another one gone.
const MAX_RETRIES = 2;

const scopesOf = (rv: ResourceVersions | undefined) => Object.keys(rv ?? {}).sort().join('\n');

export class LiveStreamClient {
  private readonly subs = new Set<Sub>();
  private readonly byWire = new Map<string, Sub>();
  private conn: Connection | undefined;
  private outbox: SubscriptionOp[] = [];
  private sending = false;
  private failures = 0;
  private nextKey = 0;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;

  constructor(private readonly deps: StreamDeps) {}

  /**
   * The tab was hidden or shown. A tab hidden for a while gives its stream up, and takes it again, from the versions
   * its lists hold, when it is shown: over HTTP/1.1 a browser keeps at most six connections to the portal, and every
   * open tab's stream holds one of them, so a seventh tab's requests would wait for ever. It also frees the upstream
   * watches and the user's watch cap for the tab the user is looking at.
   */
  setVisible(visible: boolean): void {
    if (!visible) {
      this.hiddenTimer ??= setTimeout(() => this.pause(), this.deps.hiddenGraceMs ?? 30_000);
      return;
    }
    if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
    this.hiddenTimer = undefined;
    if (!this.paused) return;
    this.paused = false;
    this.failures = 0;
    this.ensureOpen();
  }

  private pause(): void {
    this.hiddenTimer = undefined;
    this.paused = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    const conn = this.conn;
    if (!conn) return;
    conn.abort.abort();
    this.conn = undefined;
    this.outbox = [];
    this.byWire.clear();
    // Shown again, the lists are as old as this moment until the new stream says LIVE.
    for (const sub of this.subs) {
      this.flush(sub);
      sub.h.status('reconnecting');
    }
  }

  subscribe(spec: SubscriptionSpec, h: SubscriptionHandlers): () => void {
    const sub: Sub = { key: ++this.nextKey, gen: 0, spec, h, pending: [], needsRelist: false, retries: 0 };
    this.subs.add(sub);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    h.status('connecting');
    if (this.conn?.streamId) this.sendSubscribe(sub);
    else this.ensureOpen();
    return () => this.unsubscribe(sub);
  }

  private unsubscribe(sub: Sub): void {
    if (!this.subs.delete(sub)) return;
    if (sub.flushTimer) clearTimeout(sub.flushTimer);
    const id = wireId(sub);
    if (this.byWire.get(id) === sub) {
      this.byWire.delete(id);
      if (this.conn?.streamId) this.enqueue({ op: 'unsubscribe', id });
    }
    // Kept open a moment: navigating from the list to a VM unsubscribes one page's lists just before the next
    // page subscribes its own.
    if (this.subs.size === 0) this.idleTimer = setTimeout(() => this.closeConnection(), this.deps.idleMs ?? 10_000);
  }

  private ensureOpen(): void {
    if (this.conn || this.reopenTimer || this.paused || this.subs.size === 0) return;
    void this.connect();
  }

  private closeConnection(): void {
    this.idleTimer = undefined;
    if (this.subs.size) return;
    this.conn?.abort.abort();
    this.conn = undefined;
    this.outbox = [];
    this.byWire.clear();
  }

  private async connect(): Promise<void> {
    const conn: Connection = { abort: new AbortController(), inline: new Map() };
    this.conn = conn;
    const ops: StreamOpenRequest['ops'] = [];
    for (const sub of this.subs) {
      // A list that must be listed again first subscribes after HELLO, as before; and one page has few lists.
      if (sub.needsRelist || ops.length >= MAX_OPS) continue;
      const op = this.subscribeOp(sub);
      conn.inline.set(op.id, sub);
      ops.push(op);
    }
    let res: Response;
    try {
      res = await this.deps.open(conn.abort.signal, ops);
    } catch {
      if (this.conn === conn) this.dropped(conn);
      return;
    }
    if (this.conn !== conn) return;
    if (!res.ok || !res.body) {
      const failure = await failureOfResponse(res);
      if (this.conn !== conn) return;
      this.conn = undefined;
      if (failure.code === 'unauthenticated') {
        if (await this.deps.refreshSession()) this.scheduleReopen();
        return;
      }
      // Refused (too many streams, a server in trouble): say so, and keep trying; a tab closed elsewhere frees a slot.
      for (const sub of this.subs) sub.h.status({ error: { code: failure.code, message: failure.message, retrying: true } });
      this.scheduleReopen();
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.conn !== conn) break;
        for (const data of parser.push(decoder.decode(value, { stream: true }))) {
          this.onMessage(conn, data);
          if (this.conn !== conn) break;
        }
      }
    } catch {
      // the stream broke; handled below like its end
    }
    if (this.conn === conn) this.dropped(conn);
    else void reader.cancel().catch(() => undefined);
  }

  private dropped(conn: Connection, delayMs?: number, quiet = false): void {
    conn.abort.abort();
    if (this.conn === conn) this.conn = undefined;
    this.outbox = [];
    this.byWire.clear();
    for (const sub of this.subs) {
      this.flush(sub);
      if (!quiet) sub.h.status('reconnecting');
    }
    this.scheduleReopen(delayMs);
  }

  private scheduleReopen(delayMs?: number): void {
    if (this.reopenTimer || this.subs.size === 0) return;
    this.failures++;
    const delay = delayMs ?? (this.deps.backoffMs ?? defaultBackoff)(this.failures);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.ensureOpen();
    }, delay);
  }

  private onMessage(conn: Connection, data: string): void {
    const m = parseServerMessage(data);
    if (!m) return;
    switch (m.type) {
      case 'HELLO':
        conn.streamId = m.streamId;
        this.failures = 0;
        this.outbox = [];
        this.byWire.clear();
        for (const [id, sub] of conn.inline) {
          if (this.subs.has(sub) && wireId(sub) === id) this.byWire.set(id, sub);
          else this.enqueue({ op: 'unsubscribe', id }); // given up before the stream answered
        }
        for (const sub of this.subs) {
          if (this.byWire.get(wireId(sub)) === sub) continue; // opened with it
          if (sub.needsRelist) {
            sub.needsRelist = false;
            void this.relistAndResubscribe(sub);
          } else this.sendSubscribe(sub);
        }
        return;
      case 'END':
        if (m.relist) for (const sub of this.subs) sub.needsRelist = true;
        // The lifetime's end is routine: straight back, without showing "reconnecting". A dropped slow stream waits
        // a moment.
        this.failures = 0;
        if (m.error.code === 'expired') this.dropped(conn, 0, true);
        else this.dropped(conn, 1000);
        return;
      case 'RESULTS':
        for (const r of m.results) this.onResult(r);
        return;
      case 'LIVE': {
        const sub = this.byWire.get(m.sub);
        if (!sub) return;
        sub.retries = 0;
        sub.h.status('live');
        return;
      }
      case 'ERROR': {
        const sub = this.byWire.get(m.sub);
        if (!sub) return;
        if (m.final && m.error.code === 'unauthenticated') void this.refreshAndResubscribe(sub);
        // One of the namespaces it followed is no longer the user's: a new list leaves it out.
        else if (m.final && m.error.code === 'gone') void this.relistAndResubscribe(sub);
        else sub.h.status({ error: { code: m.error.code, message: m.error.message, retrying: !m.final } });
        return;
      }
      default: {
        const sub = this.byWire.get(m.sub);
        if (!sub) return;
        const { sub: _id, ...ev } = m;
        sub.pending.push(ev as StreamEvent);
        sub.flushTimer ??= setTimeout(() => this.flush(sub), this.deps.flushMs ?? 40);
      }
    }
  }

  private flush(sub: Sub): void {
    if (sub.flushTimer) clearTimeout(sub.flushTimer);
    sub.flushTimer = undefined;
    if (!sub.pending.length) return;
    const batch = sub.pending;
    sub.pending = [];
    sub.h.events(batch);
  }

  // Each (re)subscription gets a new id, so late events of the one it replaces are told apart and dropped.
  private sendSubscribe(sub: Sub): void {
    if (!this.subs.has(sub) || !this.conn?.streamId) return;
    const old = wireId(sub);
    if (this.byWire.get(old) === sub) {
      this.byWire.delete(old);
      this.enqueue({ op: 'unsubscribe', id: old });
    }
    const op = this.subscribeOp(sub);
    this.byWire.set(op.id, sub);
    this.enqueue(op);
  }

  private subscribeOp(sub: Sub): Extract<SubscriptionOp, { op: 'subscribe' }> {
    this.flush(sub); // the cache's versions must include every event received
    sub.gen++;
    const { resource, namespaces, fieldSelector } = sub.spec;
    return { op: 'subscribe', id: wireId(sub), resource, namespaces: namespaces ?? [], ...(fieldSelector ? { fieldSelector } : {}), rv: sub.h.rvs() ?? {} };
  }

  private enqueue(op: SubscriptionOp): void {
    this.outbox.push(op);
    if (!this.sending) queueMicrotask(() => void this.sendOutbox());
  }

  // One request at a time, in order, so an unsubscribe never overtakes the subscribe it undoes.
  private async sendOutbox(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length && this.conn?.streamId) {
        const conn = this.conn;
        const ops = this.outbox.splice(0, MAX_OPS);
        let results: OpResult[];
        try {
          results = subscriptionsResponse.parse(await this.deps.post({ streamId: conn.streamId!, ops })).results;
        } catch (err) {
          if (this.conn !== conn) continue;
          const f = this.deps.failureOf(err);
          if (f.status === 404) {
            this.dropped(conn, 0); // the stream ended under us: a new one resubscribes everything
            continue;
          }
          results = ops.filter((o) => o.op === 'subscribe').map((o) => ({ id: o.id, ok: false as const, error: { code: f.code, message: f.message } }));
        }
        if (this.conn === conn) for (const r of results) this.onResult(r);
      }
    } finally {
      this.sending = false;
    }
  }

  private onResult(r: OpResult): void {
    if (r.ok) return; // LIVE follows on the stream
    const sub = this.byWire.get(r.id);
    if (!sub) return;
    switch (r.error.code) {
      case 'gone':
        void this.relistAndResubscribe(sub);
        return;
      case 'unauthenticated':
        void this.refreshAndResubscribe(sub);
        return;
      case 'not_found':
        if (this.conn) this.dropped(this.conn, 0);
        return;
      default:
        sub.h.status({ error: { ...r.error, retrying: false } });
    }
  }

  private async relistAndResubscribe(sub: Sub): Promise<void> {
    // A relist under way is followed by one more, from what the server knows by then, not run beside it.
    if (sub.relisting) {
      sub.relistAgain = true;
      return;
    }
    if (sub.retries++ >= MAX_RETRIES) {
      sub.h.status({ error: { code: 'gone', message: 'The list could not be followed from its versions.', retrying: false } });
      return;
    }
    this.flush(sub);
    const before = scopesOf(sub.h.rvs());
    sub.relisting = true;
    try {
      await sub.h.relist();
    } catch (err) {
      const f = this.deps.failureOf(err);
      sub.h.status({ error: { code: f.code, message: f.message, retrying: false } });
      sub.relistAgain = false;
      return;
    } finally {
      sub.relisting = false;
    }
    if (scopesOf(sub.h.rvs()) !== before) sub.retries = 0;
    if (sub.relistAgain) {
      sub.relistAgain = false;
      void this.relistAndResubscribe(sub);
      return;
    }
    this.sendSubscribe(sub);
  }

  private async refreshAndResubscribe(sub: Sub): Promise<void> {
    if (sub.retries++ >= MAX_RETRIES) {
      sub.h.status({ error: { code: 'unauthenticated', message: 'The cluster no longer accepts your session.', retrying: false } });
      return;
    }
    if (await this.deps.refreshSession()) this.sendSubscribe(sub);
  }
}

const wireId = (sub: Sub) => `s${sub.key}.${sub.gen}`;

async function failureOfResponse(res: Response): Promise<StreamFailure> {
  const error = errorOfBody(await res.json().catch(() => undefined));
  if (error) return { status: res.status, code: error.code, message: error.message };
  return { status: res.status, code: 'upstream_error', message: `HTTP ${res.status}` };
}
