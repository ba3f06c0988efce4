import { describe, expect, it, vi } from 'vitest';
import { MapConflict, MapError, MapGone, type MapEvent, type MapSnapshot, type SharedMapAccess } from '../k8s/shared-map';
import { SharedRevocations, type SharedRevocationsOptions } from './revocations-shared';

// A map with versions and watchers, as the API server keeps a ConfigMap: replace only at the current version,
// create only when absent, watches resume after a version or are told it is gone.
class FakeMap implements SharedMapAccess {
  private version = 1;
  map: MapSnapshot | undefined;
  private history: { rv: number; ev: MapEvent }[] = [];
  private watchers = new Set<{ after: number; onEvent: (ev: MapEvent) => void; end: () => void }>();
  calls = { list: 0, get: 0, create: 0, replace: 0, watch: 0 };
  // Lets a test act between a writer's read and its replace (another replica writing first).
  beforeWrite?: () => void;
  watchFailures: Error[] = [];
  // Only events after this version can be resumed from; older ones answer 410.
  compactedBelow = 0;

  private commit(ev: MapEvent, rv: number): void {
    this.history.push({ rv, ev });
    for (const w of this.watchers) w.onEvent(ev);
  }

  put(data: Record<string, string>): MapSnapshot {
    const rv = ++this.version;
    this.map = { resourceVersion: String(rv), data: { ...data } };
    this.commit({ type: 'set', snapshot: this.map }, rv);
    return this.map;
  }

  remove(): void {
    const rv = ++this.version;
    this.map = undefined;
    this.commit({ type: 'deleted', resourceVersion: String(rv) }, rv);
  }

  endWatches(): void {
    for (const w of [...this.watchers]) w.end();
  }

  async list() {
    this.calls.list++;
    return { resourceVersion: String(this.version), ...(this.map ? { map: this.map } : {}) };
  }
  async get() {
    this.calls.get++;
    return this.map;
  }
  async create(data: Record<string, string>) {
    this.calls.create++;
    this.beforeWrite?.();
    if (this.map) throw new MapConflict('exists');
    return this.put(data);
  }
  async replace(data: Record<string, string>, resourceVersion: string) {
    this.calls.replace++;
    this.beforeWrite?.();
    if (this.map?.resourceVersion !== resourceVersion) throw new MapConflict('changed');
    return this.put(data);
  }
  watch(resourceVersion: string, signal: AbortSignal, onEvent: (ev: MapEvent) => void): Promise<void> {
    this.calls.watch++;
    const failure = this.watchFailures.shift();
    if (failure) return Promise.reject(failure);
    const after = Number(resourceVersion);
    if (after < this.compactedBelow) return Promise.reject(new MapGone('too old'));
    for (const h of this.history) if (h.rv > after) onEvent(h.ev);
    return new Promise((resolve) => {
      const w = { after, onEvent, end: () => (this.watchers.delete(w), resolve()) };
      this.watchers.add(w);
      signal.addEventListener('abort', w.end, { once: true });
    });
  }
}

const NOW = 1_800_000_000;
const noLog = vi.fn();

function replica(access: SharedMapAccess, over: Partial<SharedRevocationsOptions> = {}): SharedRevocations {
  return new SharedRevocations({ access, nowS: () => NOW, sleep: async () => {}, pollMs: 0, log: noLog, ...over });
}

// Resolves once the condition holds, checked after every change the store takes in; bounded.
function until(store: SharedRevocations, condition: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const timer = setTimeout(() => (off(), reject(new Error(`never: ${what}`))), 5000);
    const off = store.onChange(() => {
      if (!condition()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('SharedRevocations', () => {
  it('learns a revocation from its periodic read when its watch is open but delivers nothing', async () => {
    const map = new FakeMap();
    // The same map, seen through a watch that stays connected and never says a word.
    const silent: SharedMapAccess = {
      list: () => map.list(),
      get: () => map.get(),
      create: (d) => map.create(d),
      replace: (d, rv) => map.replace(d, rv),
      watch: (_rv, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
    };
    const a = replica(map);
    const b = replica(silent, { pollMs: 20 });
    await vi.waitFor(() => expect(a.ready() && b.ready()).toBe(true));
    await a.add('k1', NOW + 60);
    expect(b.has('k1', NOW)).toBe(false); // the watch did not tell it
    await vi.waitFor(() => expect(b.has('k1', NOW)).toBe(true), { timeout: 5000 });
    a.stop();
    b.stop();
  });

  it('is not ready before its first list, and a revocation made by one replica reaches another through its watch', async () => {
    const map = new FakeMap();
    const a = replica(map);
    const b = replica(map);
    expect(a.ready()).toBe(false);
    await until(a, () => a.ready(), 'a listed');
    await until(b, () => b.ready(), 'b listed');
    expect(b.has('k1', NOW)).toBe(false);
    await a.add('k1', NOW + 3600);
    // The write is in the map when add resolves...
    expect(map.map?.data).toEqual({ k1: String(NOW + 3600) });
    expect(a.has('k1', NOW)).toBe(true);
    // ...and the other replica learns it from its watch.
    await until(b, () => b.has('k1', NOW), 'b sees k1');
    expect(b.has('k1', NOW + 3600)).toBe(false); // over once the session would be
    a.stop();
    b.stop();
    await Promise.all([a.following, b.following]);
  });

  it('reads again and retries when another replica wrote in between (409), keeping both revocations', async () => {
    const map = new FakeMap();
    const a = replica(map);
    await until(a, () => a.ready(), 'listed');
    await a.add('first', NOW + 100);
    let raced = false;
    map.beforeWrite = () => {
      if (raced) return;
      raced = true;
      map.put({ ...map.map!.data, other: String(NOW + 200) }); // the other replica's sign-out lands first
    };
    await a.add('second', NOW + 300);
    expect(map.calls.create).toBe(1); // the first write: there was no map yet
    expect(map.calls.replace).toBe(2); // the conflicted one, the retry
    expect(map.calls.get).toBe(1); // the retry started from the map as it was then
    expect(map.map?.data).toEqual({ first: String(NOW + 100), other: String(NOW + 200), second: String(NOW + 300) });
    a.stop();
  });

  it('creates the map when there is none, and reads it if another replica created it first', async () => {
    const map = new FakeMap();
    const a = replica(map);
    await until(a, () => a.ready(), 'listed');
    map.beforeWrite = () => {
      map.beforeWrite = undefined;
      map.put({ theirs: String(NOW + 50) });
    };
    await a.add('mine', NOW + 60);
    expect(map.calls.create).toBe(1);
    expect(map.map?.data).toEqual({ theirs: String(NOW + 50), mine: String(NOW + 60) });
    a.stop();
  });

  it('drops expired entries when it writes', async () => {
    const map = new FakeMap();
    map.put({ old: String(NOW - 1), live: String(NOW + 10), junk: 'soon' });
    const a = replica(map);
    await until(a, () => a.ready(), 'listed');
    expect(a.has('live', NOW)).toBe(true);
    expect(a.has('old', NOW)).toBe(false);
    await a.add('new', NOW + 20);
    expect(map.map?.data).toEqual({ live: String(NOW + 10), new: String(NOW + 20) });
    a.stop();
  });

  it('refuses a write that would outgrow the map, logs it, and still holds the revocation in this replica', async () => {
    const map = new FakeMap();
    const log = vi.fn();
    const a = replica(map, { maxDataBytes: 40, log });
    await until(a, () => a.ready(), 'listed');
    await a.add('aaaaaaaaaaaaaaaaaaaaaa', NOW + 10);
    await a.add('bbbbbbbbbbbbbbbbbbbbbb', NOW + 10);
    expect(map.map?.data).toEqual({ aaaaaaaaaaaaaaaaaaaaaa: String(NOW + 10) });
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('session store full'), expect.objectContaining({ limit: 40 }));
    expect(a.has('bbbbbbbbbbbbbbbbbbbbbb', NOW)).toBe(true);
    a.stop();
  });

  it('holds a revocation it could not write, and carries it with the next write', async () => {
    const map = new FakeMap();
    const log = vi.fn();
    const a = replica(map, { log });
    await until(a, () => a.ready(), 'listed');
    const replace = map.replace.bind(map);
    const create = map.create.bind(map);
    map.create = async () => {
      throw new MapError(503, 'unavailable');
    };
    await a.add('lost', NOW + 10);
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('not written'), { error: 'unavailable' });
    expect(a.has('lost', NOW)).toBe(true);
    map.create = create;
    map.replace = replace;
    await a.add('next', NOW + 10);
    expect(map.map?.data).toEqual({ lost: String(NOW + 10), next: String(NOW + 10) });
    a.stop();
  });

  it('lists again when its version is too old to resume from (410), taking in what changed meanwhile', async () => {
    const map = new FakeMap();
    const b = replica(map);
    await until(b, () => b.ready(), 'listed');
    expect(map.calls.list).toBe(1);
    // The watch breaks; meanwhile the map changes and the server forgets the versions b knew.
    map.endWatches();
    map.put({ missed: String(NOW + 10) });
    map.compactedBelow = Number(map.map!.resourceVersion);
    await until(b, () => b.has('missed', NOW), 'b relisted');
    expect(map.calls.list).toBe(2);
    expect(map.calls.watch).toBe(3); // the first, the refused resume, the one after the list
    b.stop();
  });

  it('reconnects with growing backoff after a failed watch, and resumes from the last version it saw', async () => {
    const map = new FakeMap();
    const waits: number[] = [];
    map.watchFailures = [new MapError(0, 'connection reset'), new MapError(0, 'connection reset')];
    const b = replica(map, { sleep: async (ms) => void waits.push(ms) });
    await until(b, () => b.ready(), 'listed');
    map.put({ later: String(NOW + 10) });
    await until(b, () => b.has('later', NOW), 'b resumed');
    expect(waits).toEqual([500, 1000]);
    expect(map.calls.list).toBe(1); // resumed, not relisted
    b.stop();
  });

  it('forgets what the map held when it is deleted, but never its own revocations', async () => {
    const map = new FakeMap();
    const a = replica(map);
    const b = replica(map);
    await until(b, () => b.ready(), 'listed');
    await until(a, () => a.ready(), 'listed');
    await a.add('mine', NOW + 10);
    await until(b, () => b.has('mine', NOW), 'b sees it');
    map.remove();
    await until(b, () => !b.has('mine', NOW), 'b forgot');
    expect(a.has('mine', NOW)).toBe(true);
    a.stop();
    b.stop();
  });
});
