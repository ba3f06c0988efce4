// No 'server-only' marker: server.ts loads the clients built on this (lib/ws/) outside Next's bundler.
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import type { Connection } from './kubeconfig';

// The one HTTPS request to the API server that every caller in lib/k8s makes: a user's client (client.ts) and the
// portal's own reads and writes (session-store.ts, namespaces.ts). What differs between them is how an answer is
// judged and which errors they speak, so that stays with each caller; what is here is the wire.

export interface WireRequest {
  method?: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  agent?: Agent;
  signal?: AbortSignal;
  // Connecting and the response head; a watch's body may then be quiet for minutes (the caller clears the socket's).
  timeoutMs?: number;
  // Node's agent queues a request without limit while all its sockets are busy; one that has not got a socket after
  // this long fails with code NO_SOCKET instead of hanging behind other work.
  socketWaitMs?: number;
}

export const NO_SOCKET = 'EPORTALBUSY';

export function urlOf(conn: Connection, req: Pick<WireRequest, 'path' | 'query'>): URL {
  const url = new URL(conn.server + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url;
}

/** Sends the request with the connection's credentials; resolves with the response once its head has arrived. */
export function openRequest(conn: Connection, req: WireRequest): Promise<IncomingMessage> {
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  return new Promise((resolve, reject) => {
    const r = httpsRequest(
      urlOf(conn, req),
      {
        method: req.method ?? 'GET',
        agent: req.agent ?? conn.agent,
        headers: {
          ...conn.headers,
          accept: 'application/json',
          ...(payload ? { 'content-type': req.contentType ?? 'application/json', 'content-length': payload.length } : {}),
        },
        signal: req.signal,
        timeout: req.timeoutMs,
      },
      (res) => {
        clearTimeout(wait);
        resolve(res);
      },
    );
    const wait = req.socketWaitMs === undefined ? undefined : setTimeout(() => r.destroy(Object.assign(new Error('no socket to the API server'), { code: NO_SOCKET })), req.socketWaitMs);
    r.once('socket', () => clearTimeout(wait));
    r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (err) => {
      clearTimeout(wait);
      reject(err);
    });
    r.end(payload);
  });
}

export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * At most `maxBytes` of the body; `whole` is false when there was more, which is then not read (the response is
 * destroyed). For an answer that is only inspected (an error's Status) or that a caller caps: an endless body (a
 * proxy's page, a misbehaving server) must not be buffered whole.
 */
export async function readUpTo(res: IncomingMessage, maxBytes: number): Promise<{ bytes: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), whole: false };
    }
  }
  return { bytes: Buffer.concat(chunks), whole: true };
}
