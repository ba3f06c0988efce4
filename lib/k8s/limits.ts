// What one user may hold of the portal's shared resources: open live streams, upstream watches, and requests to
// the API server in flight. The connection pool to the API server is shared by every user (in token mode all users'
// requests go through one agent), so without these one user's tabs could fill it and stall everyone else.
// Pure (no I/O), so the rules are unit-tested; lib/k8s/client.ts and lib/k8s/streams.ts apply them with the
// configured numbers (lib/settings/limits.ts).

// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import type { LimitSettings } from '../settings';

/** Counts of open streams and upstream watches per user, refusing what would pass a cap. */
export class UserCaps {
  private readonly streams = new Map<string, number>();
  private readonly watches = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Pick<LimitSettings, 'streamsPerUser' | 'watchesPerUser' | 'watchesTotal'>) {}

  openStream(user: string): boolean {
    const n = this.streams.get(user) ?? 0;
    if (n >= this.limits.streamsPerUser) return false;
    this.streams.set(user, n + 1);
    return true;
  }

  closeStream(user: string): void {
    const n = (this.streams.get(user) ?? 0) - 1;
    if (n > 0) this.streams.set(user, n);
    else this.streams.delete(user);
  }

  /** Reserves n watches at once (all scopes of one subscription, or none); 'user' or 'total' names the cap hit. */
  reserveWatches(user: string, n: number): { ok: true } | { ok: false; cap: 'user' | 'total' } {
    const held = this.watches.get(user) ?? 0;
    if (held + n > this.limits.watchesPerUser) return { ok: false, cap: 'user' };
    if (this.total + n > this.limits.watchesTotal) return { ok: false, cap: 'total' };
    this.watches.set(user, held + n);
    this.total += n;
    return { ok: true };
  }

  releaseWatches(user: string, n: number): void {
    const held = this.watches.get(user) ?? 0;
    const freed = Math.min(held, n);
    if (held - freed > 0) this.watches.set(user, held - freed);
    else this.watches.delete(user);
    this.total -= freed;
  }

  usage(user: string): { streams: number; watches: number; total: number } {
    return { streams: this.streams.get(user) ?? 0, watches: this.watches.get(user) ?? 0, total: this.total };
  }
}

export class LimitError extends Error {
  constructor(readonly reason: 'wait' | 'queue') {
    super(reason === 'wait' ? 'waited too long for a turn' : 'too many requests queued');
  }
}

/**
 * At most `perKey` holders per key (user); others wait in line, but not longer than maxWaitMs and not more than
 * maxQueued of them. So a user with hundreds of requests in flight holds a few sockets of the shared pool, and
 * another user's request still finds one.
 */
export class KeyedLimiter {
  private readonly lines = new Map<string, { active: number; waiting: { grant: () => void; fail: (e: Error) => void }[] }>();

  constructor(
    private readonly perKey: number,
    private readonly maxWaitMs: number,
    private readonly maxQueued = 1000,
  ) {}

  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = { active: 0, waiting: [] }));
    const l = line;
    const release = () => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        l.active--;
        const next = l.waiting.shift();
        if (next) next.grant();
        else if (l.active === 0) this.lines.delete(key);
      };
    };
    if (l.active < this.perKey) {
      l.active++;
      return Promise.resolve(release());
    }
    if (l.waiting.length >= this.maxQueued) return Promise.reject(new LimitError('queue'));
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          l.active++;
          resolve(release());
        },
        fail: (e: Error) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const i = l.waiting.indexOf(entry);
          if (i >= 0) l.waiting.splice(i, 1);
          if (l.active === 0 && l.waiting.length === 0) this.lines.delete(key);
          reject(e);
        },
      };
      const onAbort = () => entry.fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      const timer = setTimeout(() => entry.fail(new LimitError('wait')), this.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      l.waiting.push(entry);
    });
  }

  size(key: string): { active: number; waiting: number } {
    const l = this.lines.get(key);
    return { active: l?.active ?? 0, waiting: l?.waiting.length ?? 0 };
  }
}
