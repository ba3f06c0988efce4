// No 'server-only' marker: server.ts loads the revocation store (through lib/ws) outside Next's bundler.
import type { IncomingMessage } from 'node:http';
import { portalConnection, type Connection } from './kubeconfig';
import { scrub } from './errors';
import { MapConflict, MapError, MapGone, type MapEvent, type MapSnapshot, type SharedMapAccess } from './shared-map';
import { collectionPath, namedPath } from './api-paths';
import { openRequest, readUpTo } from './transport';

// The ConfigMap that holds the revoked sessions every portal replica must agree on (lib/auth/revocations.ts).
//
// Written and watched with the portal's OWN credentials (its kubeconfig or service account), not a user's: this is
// the portal's own state, kept on behalf of no user, and no user's request is answered from what it reads beyond a
// yes/no for a hashed session id. The chart grants the portal's service account get/list/watch/create/update on
// this one ConfigMap name.

const LABELS = { 'app.kubernetes.io/name': 'kubevirt-portal', 'app.kubernetes.io/component': 'session-revocations' };
const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true } as const;
const REQUEST_TIMEOUT_MS = 15_000;
// The server ends each watch after this; an idle connection that outlives it by the margin is dead and is dropped.
const WATCH_SECONDS = 60;
const WATCH_IDLE_MARGIN_MS = 30_000;

interface ConfigMap {
  metadata?: { name?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

function snapshotOf(cm: ConfigMap): MapSnapshot {
  return { resourceVersion: cm.metadata?.resourceVersion ?? '', data: { ...(cm.data ?? {}) } };
}

async function readCapped(res: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  const { bytes, whole } = await readUpTo(res, limit);
  if (!whole) throw new MapError(502, 'answer too large');
  return bytes.toString('utf8');
}

function failure(status: number, body: string): Error {
  let message = `HTTP ${status}`;
  try {
    const s = JSON.parse(body) as { message?: string };
    if (s.message) message = scrub(s.message);
  } catch {
    // not a Status
  }
  if (status === 409) return new MapConflict(message);
  if (status === 410) return new MapGone(message);
  return new MapError(status, message);
}

async function json<T>(conn: Connection, method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
  const res = await openRequest(conn, { method, path, body, timeoutMs });
  const text = await readCapped(res);
  const status = res.statusCode ?? 500;
  if (status < 200 || status >= 300) throw failure(status, text);
  return JSON.parse(text) as T;
}

/** The portal's own access to one ConfigMap (namespace/name from PORTAL_SESSION_STORE_*). */
export function sessionStoreMap(namespace: string, name: string, requestTimeoutMs = REQUEST_TIMEOUT_MS): SharedMapAccess {
  const collection = collectionPath(CONFIGMAPS, namespace);
  const item = namedPath(CONFIGMAPS, namespace, name);
  const selector = `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  let connection: Promise<Connection> | undefined;
  const conn = () => {
    connection ??= portalConnection()
      .then((c) => {
        if (!c) throw new MapError(0, "the Kubernetes session store needs the portal's own credentials (PORTAL_KUBECONFIG)");
        return c;
      })
      .catch((err: unknown) => {
        connection = undefined;
        throw err;
      });
    return connection;
  };
  const body = (data: Record<string, string>, resourceVersion?: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: LABELS, ...(resourceVersion ? { resourceVersion } : {}) },
    data,
  });

  return {
    async list() {
      const l = await json<{ metadata?: { resourceVersion?: string }; items?: ConfigMap[] }>(await conn(), 'GET', `${collection}?${selector}`, undefined, requestTimeoutMs);
      const found = l.items?.find((cm) => cm.metadata?.name === name);
      return { resourceVersion: l.metadata?.resourceVersion ?? '', ...(found ? { map: snapshotOf(found) } : {}) };
    },
    async get() {
      try {
        return snapshotOf(await json<ConfigMap>(await conn(), 'GET', item, undefined, requestTimeoutMs));
      } catch (err) {
        if (err instanceof MapError && err.status === 404) return undefined;
        throw err;
      }
    },
    async create(data) {
      return snapshotOf(await json<ConfigMap>(await conn(), 'POST', collection, body(data), requestTimeoutMs));
    },
    async replace(data, resourceVersion) {
      try {
        return snapshotOf(await json<ConfigMap>(await conn(), 'PUT', item, body(data, resourceVersion), requestTimeoutMs));
      } catch (err) {
        // Deleted meanwhile: as stale as a changed version; the writer reads again and creates it.
        if (err instanceof MapError && err.status === 404) throw new MapConflict('the map went away');
        throw err;
      }
    },
    async watch(resourceVersion, signal, onEvent) {
      const c = await conn();
      const query = `${selector}&watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}&timeoutSeconds=${WATCH_SECONDS}`;
      const res = await openRequest(c, { path: `${collection}?${query}`, agent: c.watchAgent, timeoutMs: requestTimeoutMs, signal });
      if (res.statusCode !== 200) throw failure(res.statusCode ?? 500, await readCapped(res, 64 * 1024));
      // The request's timeout covered the head; a quiet watch is the idle guard's to judge.
      res.socket.setTimeout(0);
      const idle = () => res.destroy(new MapError(0, 'watch went quiet'));
      let guard = setTimeout(idle, WATCH_SECONDS * 1000 + WATCH_IDLE_MARGIN_MS);
      let buffer = '';
      try {
        for await (const chunk of res) {
          clearTimeout(guard);
          guard = setTimeout(idle, WATCH_SECONDS * 1000 + WATCH_IDLE_MARGIN_MS);
          buffer += (chunk as Buffer).toString('utf8');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as { type: string; object: ConfigMap & { code?: number; message?: string } };
            const rv = ev.object.metadata?.resourceVersion ?? '';
            let out: MapEvent;
            if (ev.type === 'ERROR') throw failure(ev.object.code ?? 500, JSON.stringify(ev.object));
            else if (ev.type === 'BOOKMARK') out = { type: 'bookmark', resourceVersion: rv };
            else if (ev.type === 'DELETED') out = { type: 'deleted', resourceVersion: rv };
            else if (ev.object.metadata?.name === name) out = { type: 'set', snapshot: snapshotOf(ev.object) };
            else continue;
            onEvent(out);
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      } finally {
        clearTimeout(guard);
        res.destroy();
      }
    },
  };
}
