import 'server-only';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { connectionFor, type Connection } from './kubeconfig';
import type { K8sIdentity } from './identity';
import { mapApiError, mapTransportError, type RequestContext } from './errors';

// A client for one request of one signed-in user. Every call carries the user's identity (bearer token or
// impersonation headers); errors come back as PortalError through the one mapper in errors.ts.

export interface K8sRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  ctx?: RequestContext;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface K8sClient {
  identity: K8sIdentity;
  json<T>(req: K8sRequest): Promise<T>;
  // The body of a 200 as it came, for a route that passes it on without parsing it.
  raw(req: K8sRequest): Promise<Buffer>;
  // Opens a streaming GET (a watch) and returns the raw response once the status is known to be 200.
  stream(req: K8sRequest): Promise<IncomingMessage>;
}

function urlOf(conn: Connection, req: K8sRequest): URL {
  const url = new URL(conn.server + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url;
}

function send(conn: Connection, req: K8sRequest): Promise<IncomingMessage> {
  const url = urlOf(conn, req);
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  return new Promise((resolve, reject) => {
    const r = httpsRequest(
      url,
      {
        method: req.method ?? 'GET',
        agent: conn.agent,
        headers: {
          ...conn.headers,
          accept: 'application/json',
          ...(payload ? { 'content-type': req.contentType ?? 'application/json', 'content-length': payload.length } : {}),
        },
        signal: req.signal,
        timeout: req.timeoutMs,
      },
      resolve,
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', reject);
    r.end(payload);
  });
}

async function readBytes(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const readBody = async (res: IncomingMessage) => (await readBytes(res)).toString('utf8');

export async function clientFor(identity: K8sIdentity): Promise<K8sClient> {
  const conn = await connectionFor(identity);
  const open = async (req: K8sRequest) => {
    try {
      return await send(conn, req);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw mapTransportError(err);
    }
  };
  return {
    identity,
    async json<T>(req: K8sRequest): Promise<T> {
      const res = await open({ timeoutMs: 30_000, ...req });
      const text = await readBody(res);
      const code = res.statusCode ?? 500;
      if (code < 200 || code >= 300) throw mapApiError(code, text, req.ctx);
      return (text ? JSON.parse(text) : {}) as T;
    },
    async raw(req: K8sRequest): Promise<Buffer> {
      const res = await open({ timeoutMs: 30_000, ...req });
      const body = await readBytes(res);
      const code = res.statusCode ?? 500;
      if (code < 200 || code >= 300) throw mapApiError(code, body.toString('utf8'), req.ctx);
      return body;
    },
    async stream(req: K8sRequest): Promise<IncomingMessage> {
      const res = await open(req);
      const code = res.statusCode ?? 500;
      if (code !== 200) throw mapApiError(code, await readBody(res), req.ctx);
      return res;
    },
  };
}
