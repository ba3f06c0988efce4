// A simulated portal user for the load test: plain HTTP with a real session cookie (from a sign-in in Chromium),
// calling the routes the browser calls, the way the browser does (the CSRF double-submit header and the Origin on
// mutations; the live stream opened with its subscriptions, lib/shared/live-protocol.ts). Everything it sees is
// tallied in one Tally, so a run ends with counts, latencies and every unexpected answer word for word.
import { parseServerMessage, type StreamOpenRequest } from '../../lib/shared/live-protocol';
import { SseParser } from '../../lib/live/sse';
import { csrfOf } from '../../bench/support.ts';
import type { KubeObject } from '../../lib/shared/kube-object';

export interface Identity {
  user: string;
  cookie: string;
  namespaces: string[];
}

export class Tally {
  requests = 0;
  latenciesMs: number[] = [];
  byStatus = new Map<number, number>();
  conflicts: string[] = []; // 409: an action the cluster refused as it stood (explained in the report)
  errors: string[] = [];
  actions = 0;
  streamsOpened = 0;
  streamReconnects = 0; // after the server's routine end of a stream's lifetime
  streamEvents = 0;

  error(what: string): void {
    this.errors.push(what);
  }
}

export class SimClient {
  constructor(
    readonly base: string,
    readonly id: Identity,
    readonly tally: Tally,
  ) {}

  headers(mutation: boolean): Record<string, string> {
    const h: Record<string, string> = { cookie: this.id.cookie, accept: 'application/json' };
    if (mutation) Object.assign(h, { origin: new URL(this.base).origin, 'x-csrf-token': csrfOf(this.id.cookie), 'content-type': 'application/json' });
    return h;
  }

  /** One request, timed and tallied; 2xx and 409 are expected, anything else is an error. */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const t0 = performance.now();
    this.tally.requests++;
    let status = 0;
    let json: unknown;
    try {
      const res = await fetch(this.base + path, { method, headers: this.headers(method !== 'GET'), body: body === undefined ? undefined : JSON.stringify(body) });
      status = res.status;
      json = await res.json().catch(() => undefined);
    } catch (err) {
      this.tally.error(`${method} ${path}: ${(err as Error).message}`);
      return { status: 0, json: undefined };
    }
    this.tally.latenciesMs.push(performance.now() - t0);
    this.tally.byStatus.set(status, (this.tally.byStatus.get(status) ?? 0) + 1);
    if (status === 409) this.tally.conflicts.push(`${this.id.user} ${method} ${path}: ${JSON.stringify(json)}`);
    else if (status < 200 || status > 299) this.tally.error(`${this.id.user} ${method} ${path}: ${status} ${JSON.stringify(json)}`);
    return { status, json };
  }
}

/**
 * The VMs of the user's namespaces as a live stream shows them: opened with one subscription, folded event by event,
 * reopened from the versions held when the server ends it for its lifetime. Anything else that ends it, an ERROR
 * or a refusal is an error of the run.
 */
export class SimStream {
  readonly vms = new Map<string, KubeObject>(); // by namespace/name
  private readonly rvs: Record<string, string> = {};
  private readonly abort = new AbortController();
  private gen = 0;
  live = false;
  done: Promise<void>;

  constructor(private readonly c: SimClient) {
    this.done = this.run();
  }

  close(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const { tally } = this.c;
    while (!this.abort.signal.aborted) {
      const id = `vms.${++this.gen}`;
      const body: StreamOpenRequest = { ops: [{ op: 'subscribe', id, resource: 'virtualmachines', namespaces: this.c.id.namespaces, rv: { ...this.rvs } }] };
      let res: Response;
      try {
        res = await fetch(`${this.c.base}/api/stream`, {
          method: 'POST',
          signal: this.abort.signal,
          headers: { ...this.c.headers(true), accept: 'text/event-stream' },
          body: JSON.stringify(body),
        });
      } catch (err) {
        if (!this.abort.signal.aborted) tally.error(`${this.c.id.user} stream open: ${(err as Error).message}`);
        return;
      }
      if (res.status !== 200 || !res.body) {
        tally.error(`${this.c.id.user} stream open: ${res.status} ${await res.text().catch(() => '')}`);
        return;
      }
      tally.streamsOpened++;
      const ended = await this.read(res.body, id);
      if (this.abort.signal.aborted) return;
      if (ended !== 'expired') {
        tally.error(`${this.c.id.user} stream ended: ${ended}`);
        return;
      }
      tally.streamReconnects++;
    }
  }

  // Resolves with why the stream ended: 'expired' (routine), or what went wrong.
  private async read(body: ReadableStream<Uint8Array>, id: string): Promise<string> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'the connection closed without END';
        for (const data of parser.push(decoder.decode(value, { stream: true }))) {
          const m = parseServerMessage(data);
          if (!m) continue;
          switch (m.type) {
            case 'HELLO':
              continue;
            case 'RESULTS':
              for (const r of m.results) if (!r.ok) return `subscription refused: ${r.error.code} ${r.error.message}`;
              continue;
            case 'END':
              this.live = false;
              return m.error.code === 'expired' ? 'expired' : `END ${m.error.code}: ${m.error.message}`;
            default:
              if (m.sub !== id) continue;
          }
          this.c.tally.streamEvents++;
          switch (m.type) {
            case 'LIVE':
              this.live = true;
              break;
            case 'ERROR':
              return `ERROR ${m.error.code}: ${m.error.message}`;
            case 'RELIST':
              for (const key of [...this.vms.keys()]) if (m.scope === '' || key.startsWith(`${m.scope}/`)) this.vms.delete(key);
              for (const o of m.items) this.vms.set(keyOf(o), o);
              this.rvs[m.scope] = m.resourceVersion;
              break;
            case 'BOOKMARK':
              this.rvs[m.scope] = m.resourceVersion;
              break;
            case 'ADDED':
            case 'MODIFIED':
            case 'DELETED':
              if (m.type === 'DELETED') this.vms.delete(keyOf(m.object));
              else this.vms.set(keyOf(m.object), m.object);
              if (m.object.metadata?.resourceVersion) this.rvs[m.scope] = m.object.metadata.resourceVersion;
              break;
          }
        }
      }
    } catch (err) {
      return this.abort.signal.aborted ? 'closed' : `read failed: ${(err as Error).message}`;
    } finally {
      void reader.cancel().catch(() => undefined);
    }
  }
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;

