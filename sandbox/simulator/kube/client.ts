// The simulator's own door to the API server: plain HTTPS with the simulator's client certificate, JSON in and out,
// and list+watch streams that resume from a resourceVersion and relist when the server answers 410 Gone.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import YAML from 'yaml';
import { maxRetries, retryDelayMs } from './retry-after.ts';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    creationTimestamp?: string;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    finalizers?: string[];
    generation?: number;
  };
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: ${status} ${body.slice(0, 500)}`);
  }
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';
const patchContentType: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class KubeClient {
  private readonly server: URL;
  private readonly agent: https.Agent;

  constructor(kubeconfigPath: string) {
    const kc = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
    const cluster = kc.clusters[0].cluster;
    const user = kc.users[0].user;
    this.server = new URL(cluster.server);
    const b64 = (s: string) => Buffer.from(s, 'base64');
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    });
  }

  private raw(method: string, path: string, body?: unknown, contentType = 'application/json') {
    return new Promise<{ status: number; text: string; retryAfter?: string | string[] }>((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = https.request(
        new URL(path, this.server),
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async request<T = KubeObject>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    let res = await this.raw(method, path, body, contentType);
    for (let attempt = 1; attempt <= maxRetries; attempt++) {
      const wait = retryDelayMs(res.status, res.retryAfter);
      if (wait === undefined) break;
      console.log(JSON.stringify({ time: new Date().toISOString(), msg: 'API server asked to retry', method, path, status: res.status, waitMs: wait, attempt }));
      await new Promise((r) => setTimeout(r, wait));
      res = await this.raw(method, path, body, contentType);
    }
    if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, res.text, `${method} ${path}`);
    return (res.text ? JSON.parse(res.text) : {}) as T;
  }

  get<T = KubeObject>(path: string) {
    return this.request<T>('GET', path);
  }
  /** GET that answers undefined on 404 instead of throwing. */
  async find<T = KubeObject>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }
  create<T = KubeObject>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }
  replace<T = KubeObject>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = KubeObject>(path: string, body: unknown, type: PatchType = 'merge', fieldManager = 'kubevirt-simulator') {
    const sep = path.includes('?') ? '&' : '?';
    const q = type === 'apply' ? `${sep}fieldManager=${fieldManager}&force=true` : '';
    return this.request<T>('PATCH', path + q, body, patchContentType[type]);
  }
  async delete(path: string, body?: unknown): Promise<void> {
    try {
      await this.request('DELETE', path, body);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }

  /**
   * Keeps `onEvent` fed with every change to the collection at `path`: a list first (as ADDED events, then a
   * SYNCED marker), then a watch from the list's resourceVersion with bookmarks; on 410 Gone or a broken stream it
   * relists. Returns a function that stops it.
   */
  informer(
    path: string,
    onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'SYNCED', obj: KubeObject | undefined) => void,
  ): () => void {
    let stopped = false;
    let current: import('node:http').ClientRequest | undefined;
    const known = new Map<string, KubeObject>();
    const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const sep = path.includes('?') ? '&' : '?';

    const relist = async (): Promise<string> => {
      const list = await this.get<{ items: KubeObject[]; metadata: { resourceVersion: string } }>(path);
      const seen = new Set<string>();
      for (const item of list.items) {
        seen.add(key(item));
        onEvent(known.has(key(item)) ? 'MODIFIED' : 'ADDED', item);
        known.set(key(item), item);
      }
      for (const [k, o] of known) {
        if (!seen.has(k)) {
          known.delete(k);
          onEvent('DELETED', o);
        }
      }
      onEvent('SYNCED', undefined);
      return list.metadata.resourceVersion;
    };

    const watch = (rv: string) =>
      new Promise<string | undefined>((resolve) => {
        const req = https.request(
          new URL(`${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`, this.server),
          { method: 'GET', agent: this.agent, headers: { accept: 'application/json' } },
          (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              resolve(undefined);
              return;
            }
            let buf = '';
            let last: string | undefined = rv;
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buf += chunk;
              let nl: number;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                if (!line.trim()) continue;
                const ev = JSON.parse(line) as { type: string; object: KubeObject & { code?: number } };
                if (ev.type === 'ERROR') {
                  // 410 Gone: our resourceVersion is too old; the caller relists.
                  last = undefined;
                  req.destroy();
                  return;
                }
                last = ev.object.metadata.resourceVersion ?? last;
                if (ev.type === 'BOOKMARK') continue;
                if (ev.type === 'DELETED') known.delete(key(ev.object));
                else known.set(key(ev.object), ev.object);
                onEvent(ev.type as 'ADDED' | 'MODIFIED' | 'DELETED', ev.object);
              }
            });
            res.on('end', () => resolve(last));
            res.on('error', () => resolve(last));
            res.on('close', () => resolve(last));
          },
        );
        current = req;
        req.on('error', () => resolve(undefined));
        req.end();
      });

    (async () => {
      let rv: string | undefined;
      while (!stopped) {
        try {
          rv ??= await relist();
          rv = await watch(rv);
        } catch {
          rv = undefined;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();

    return () => {
      stopped = true;
      current?.destroy();
    };
  }
}
