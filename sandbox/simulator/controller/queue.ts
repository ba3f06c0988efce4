import { ApiError } from '../kube/client.ts';

// A work queue like client-go's: keys are coalesced while waiting, one key is never reconciled twice at once,
// failures retry with backoff, and `after` schedules a later look (for deadlines and backoffs).
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly active = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly reconcile: (key: string) => Promise<void>,
  ) {}

  add(key: string) {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    setImmediate(() => void this.run(key));
  }

  after(key: string, ms: number) {
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.add(key);
      }, ms),
    );
  }

  private async run(key: string) {
    this.dirty.delete(key);
    this.active.add(key);
    try {
      await this.reconcile(key);
      this.failures.delete(key);
    } catch (e) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      // A lost optimistic-concurrency race (a failed JSON-patch test, a stale resourceVersion) is routine: retry.
      const race = e instanceof ApiError && (e.status === 409 || (e.status === 422 && e.body.includes('"details":{}')));
      if (race) {
        this.after(key, 50);
        return;
      }
      console.error(JSON.stringify({ msg: `${this.name} reconcile failed`, key, attempt: n, error: String(e).slice(0, 800) }));
      this.after(key, Math.min(30_000, 200 * 2 ** Math.min(n, 8)));
    } finally {
      this.active.delete(key);
      if (this.again.delete(key)) this.add(key);
    }
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }
}

const resourceVersion = (o: { metadata: { resourceVersion?: string } }) => Number(o.metadata.resourceVersion ?? NaN);
const tombstoneLimit = 10_000;

/**
 * The latest copy of every object an informer has seen, by namespace/name. A controller may also put in what its
 * own write returned, ahead of the watch; so a copy older than the one held (by resourceVersion, which this API
 * server takes from etcd's revision) is dropped, and so is a write's answer that arrives after the object's
 * deletion. Without that, the watch's late event for an earlier write put an older copy back (a migration seen in a
 * phase it had left), and a write answered just before a deletion brought the deleted object back for good.
 */
export class Store<T extends { metadata: { name: string; namespace?: string; resourceVersion?: string } }> {
  private readonly items = new Map<string, T>();
  /** The resourceVersion each recently deleted key was deleted at. */
  private readonly deleted = new Map<string, number>();
  synced = false;
  static key(o: { metadata: { name: string; namespace?: string } }) {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  }
  apply(type: string, o: T | undefined) {
    if (type === 'SYNCED') {
      this.synced = true;
      return;
    }
    if (!o) return;
    const key = Store.key(o);
    const rv = resourceVersion(o);
    const held = this.items.has(key) ? resourceVersion(this.items.get(key)!) : this.deleted.get(key);
    if (held !== undefined && rv < held) return;
    if (type === 'DELETED') {
      this.items.delete(key);
      this.deleted.delete(key);
      this.deleted.set(key, Number.isNaN(rv) ? -Infinity : rv);
      if (this.deleted.size > tombstoneLimit) this.deleted.delete(this.deleted.keys().next().value!);
      return;
    }
    this.deleted.delete(key);
    this.items.set(key, o);
  }
  get(key: string) {
    return this.items.get(key);
  }
  list(): T[] {
    return [...this.items.values()];
  }
}
