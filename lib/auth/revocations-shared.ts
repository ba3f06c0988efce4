// No 'server-only' marker: server.ts loads the revocation store (through lib/ws) outside Next's bundler.
import { log as defaultLog } from '../log';
import { MapConflict, MapGone, type MapSnapshot, type SharedMapAccess } from '../k8s/shared-map';
import { pruned, type RevocationStore } from './revocation-store';

// Revoked sessions shared by every replica through one small map in the cluster (lib/k8s/session-store.ts: a
// ConfigMap). Each replica follows the map with a watch into memory, so a request's check is a lookup; a sign-out
// writes the map (optimistic concurrency: read, change, replace only if unchanged, again on conflict) and answers
// only once the map has it. Another replica learns it when its watch delivers the change: milliseconds while the
// watch is connected. A watch can also break without a sign (a connection that stays open and delivers nothing, as
// seen once in the reliability suite's two-replica run after a minute of load), so every replica also reads the map
// every pollMs (5 s): that bounds the propagation whatever the watch does, for one small GET per replica.
//
// The map holds hashed ids with the epoch second after which the session is over anyway; expired entries are
// dropped on every write, so its size follows the sign-outs of the last session lifetime. Past maxDataBytes (a
// ConfigMap holds at most 1 MiB) a write is refused with an error in the log, and the revocation holds in the
// replica that made it only.

export interface SharedRevocationsOptions {
  access: SharedMapAccess;
  nowS?: () => number;
  nowMs?: () => number;
  // Waits between reconnects; resolves early when the signal aborts.
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  maxDataBytes?: number;
  maxAttempts?: number;
  // How often the map is read besides the watch (0: never, for tests that count reads).
  pollMs?: number;
  log?: typeof defaultLog;
}

const MAX_DATA_BYTES = 900 * 1024;
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 30_000;
const POLL_MS = 5_000;
// A watch that stayed open this long before it failed was healthy: the next failure starts the backoff afresh.
const HEALTHY_WATCH_MS = 10_000;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

function entriesOf(data: Record<string, string> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(data ?? {})) {
    const until = Number(v);
    if (/^[A-Za-z0-9_-]{1,64}$/.test(k) && Number.isSafeInteger(until)) out.set(k, until);
  }
  return out;
}

export class SharedRevocations implements RevocationStore {
  private shared = new Map<string, number>(); // as the map was last seen
  private polled = new Map<string, number>(); // as the map was last read by the poll
  private own = new Map<string, number>(); // revoked here: held even while the map lags behind or refused them
  private unwritten = new Set<string>(); // own entries the map has not taken yet
  private latest: MapSnapshot | undefined;
  private synced = false;
  private readonly abort = new AbortController();
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private readonly access: SharedMapAccess;
  private readonly nowS: () => number;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly maxDataBytes: number;
  private readonly maxAttempts: number;
  private readonly log: typeof defaultLog;
  /** Settles when the follower stops (after stop()). */
  readonly following: Promise<void>;

  constructor(opts: SharedRevocationsOptions) {
    this.access = opts.access;
    this.nowS = opts.nowS ?? (() => Date.now() / 1000);
    this.nowMs = opts.nowMs ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.maxDataBytes = opts.maxDataBytes ?? MAX_DATA_BYTES;
    this.maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
    this.log = opts.log ?? defaultLog;
    this.following = this.follow();
    const pollMs = opts.pollMs ?? POLL_MS;
    if (pollMs > 0) {
      const timer = setInterval(() => void this.poll(), pollMs);
      timer.unref?.();
      this.abort.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    }
  }

  // Entries leave the map only once expired, so the union of what the watch and the poll saw is never too much.
  has(key: string, nowS: number): boolean {
    return (this.shared.get(key) ?? 0) > nowS || (this.polled.get(key) ?? 0) > nowS || (this.own.get(key) ?? 0) > nowS;
  }

  private polling = false;
  private async poll(): Promise<void> {
    if (this.polling || this.abort.signal.aborted) return;
    this.polling = true;
    try {
      const snapshot = await this.access.get();
      this.polled = entriesOf(snapshot?.data);
    } catch (err) {
      this.log('warn', 'session store read failed; the watch still follows it', { error: (err as Error).message });
    } finally {
      this.polling = false;
    }
  }

  ready(): boolean {
    return this.synced;
  }

  stop(): void {
    this.abort.abort();
  }

  /** Calls fn after every change the map delivered; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  add(key: string, untilS: number): Promise<void> {
    this.own.set(key, Math.max(untilS, this.own.get(key) ?? 0));
    this.unwritten.add(key);
    // One write at a time from this process: its own writes never conflict with each other.
    const done = this.writes.then(() => this.write());
    this.writes = done.catch(() => {});
    return done;
  }

  private apply(snapshot: MapSnapshot | undefined): void {
    this.latest = snapshot;
    this.shared = entriesOf(snapshot?.data);
    for (const fn of this.listeners) fn();
  }

  private async write(): Promise<void> {
    const now = this.nowS();
    this.own = pruned(this.own, now);
    for (const k of this.unwritten) if (!this.own.has(k)) this.unwritten.delete(k);
    if (this.unwritten.size === 0) return; // an earlier write carried it
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const carried = [...this.unwritten];
      let base: MapSnapshot | undefined;
      try {
        // First try on the version the watch last delivered (none: create it); after a conflict, or before the first
        // list, on the map as it is now.
        base = attempt === 0 && this.synced ? this.latest : await this.access.get();
        const next = pruned(entriesOf(base?.data), now);
        // Every live revocation of this replica goes along, not only the new one: one the map lost (deleted,
        // recreated) is restored by the next write.
        for (const [k, until] of this.own) next.set(k, Math.max(until, next.get(k) ?? 0));
        const data = Object.fromEntries([...next].map(([k, until]) => [k, String(until)]));
        const bytes = Buffer.byteLength(JSON.stringify(data));
        if (bytes > this.maxDataBytes) {
          this.log('error', 'session store full: the revocation holds in this replica only', { entries: next.size, bytes, limit: this.maxDataBytes });
          return;
        }
        const written = base ? await this.access.replace(data, base.resourceVersion) : await this.access.create(data);
        this.apply(written);
        for (const k of carried) this.unwritten.delete(k);
        return;
      } catch (err) {
        if (err instanceof MapConflict) continue;
        this.log('error', 'session store not written: the revocation holds in this replica only', { error: (err as Error).message });
        return;
      }
    }
    this.log('error', 'session store not written after repeated conflicts: the revocation holds in this replica only', { attempts: this.maxAttempts });
  }

  private async follow(): Promise<void> {
    const signal = this.abort.signal;
    let rv: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let listedNow = false;
      let watchOpened = this.nowMs();
      try {
        if (rv === undefined) {
          listedNow = true;
          const listed = await this.access.list();
          rv = listed.resourceVersion;
          this.synced = true;
          this.apply(listed.map);
        }
        const opened = (watchOpened = this.nowMs());
        let events = 0;
        await this.access.watch(rv, signal, (ev) => {
          events++;
          if (ev.type === 'set') {
            this.apply(ev.snapshot);
            rv = ev.snapshot.resourceVersion;
          } else if (ev.type === 'deleted') {
            this.apply(undefined);
            rv = ev.resourceVersion;
          } else rv = ev.resourceVersion;
        });
        failures = 0;
        // A server that keeps ending the watch at once is not reopened in a tight loop.
        if (events === 0 && this.nowMs() - opened < 1000) await this.sleep(1000, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (this.nowMs() - watchOpened > HEALTHY_WATCH_MS) failures = 0;
        // Too old to resume from: list again at once (but a version just listed that is already gone is a fault).
        if (err instanceof MapGone) rv = undefined;
        if (err instanceof MapGone && !listedNow) continue;
        failures++;
        this.log('warn', 'session store watch failed, retrying', { error: (err as Error).message, failures });
        await this.sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures), signal);
      }
    }
  }
}
