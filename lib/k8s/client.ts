// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { request as httpsRequest } from 'node:https';
import type { Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { connectionFor, type Connection } from './kubeconfig';
import { identityKey, type K8sIdentity } from './identity';
import { mapApiError, PortalError, upstreamUnreachable, type RequestContext } from './errors';
import { KeyedLimiter, LimitError } from './limits';
import { settings } from '../settings';

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
  // The response of a 200 whose body the caller reads as it comes (a list passed on to the browser). The user's
  // turn is held until the body ends or is destroyed: the caller must read it to the end or destroy it.
  body(req: K8sRequest): Promise<IncomingMessage>;
  // Opens a streaming GET (a watch) and returns the raw response once the status is known to be 200.
  stream(req: K8sRequest): Promise<IncomingMessage>;
}

function urlOf(conn: Connection, req: K8sRequest): URL {
  const url = new URL(conn.server + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url;
}

// Node's agent queues a request without limit while all its sockets are busy; a request that has not got a socket
// after this long is refused (503) instead of hanging behind other users' work.
const BUSY = 'EPORTALBUSY';

function send(conn: Connection, req: K8sRequest, agent: Agent, socketWaitMs: number): Promise<IncomingMessage> {
  const url = urlOf(conn, req);
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  return new Promise((resolve, reject) => {
    const r = httpsRequest(
      url,
      {
        method: req.method ?? 'GET',
        agent,
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
    const wait = setTimeout(() => r.destroy(Object.assign(new Error('no socket to the API server'), { code: BUSY })), socketWaitMs);
    r.once('socket', () => clearTimeout(wait));
    r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (err) => {
      clearTimeout(wait);
      reject(err);
    });
    r.end(payload);
  });
}

async function readBytes(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// An error body is read only so far: it is scrubbed and cut to a few hundred characters anyway, and an endless one
// (a proxy's page, a misbehaving server) must not be buffered whole.
const MAX_ERROR_BODY = 64 * 1024;

async function readErrorBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
    if (size >= MAX_ERROR_BODY) {
      res.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8');
}

// One line per user for short requests, shared by every client built in this process. Made on first use, not at
// import: `next build` loads this module without the run-time settings.
function turns(): KeyedLimiter {
  const limits = settings().limits;
  return ((globalThis as { __portalUpstreamTurns?: KeyedLimiter }).__portalUpstreamTurns ??= new KeyedLimiter(limits.requestsPerUser, limits.requestWaitMs));
}

export async function clientFor(identity: K8sIdentity): Promise<K8sClient> {
  const conn = await connectionFor(identity);
  const user = identityKey(identity);
  const limits = settings().limits;
  const open = async (req: K8sRequest, agent: Agent) => {
    try {
      return await send(conn, req, agent, limits.requestWaitMs);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      if ((err as { code?: string }).code === BUSY) {
        throw new PortalError(503, 'too_many_requests', 'The portal has too many requests to the Kubernetes API server in progress; try again shortly.');
      }
      throw upstreamUnreachable(err);
    }
  };
  // A short request waits for the user's turn, so one user's fan-out cannot fill the shared pool.
  const takeTurn = async (req: K8sRequest): Promise<() => void> => {
    try {
      return await turns().acquire(user, req.signal);
    } catch (err) {
      if (err instanceof LimitError) {
        throw new PortalError(429, 'too_many_requests', 'Too many of your requests to the Kubernetes API server are in progress; try again shortly.', { limit: limits.requestsPerUser });
      }
      throw err;
    }
  };
  const inTurn = async <T>(req: K8sRequest, fn: () => Promise<T>): Promise<T> => {
    const release = await takeTurn(req);
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return {
    identity,
    json<T>(req: K8sRequest): Promise<T> {
      return inTurn(req, async () => {
        const res = await open({ timeoutMs: 30_000, ...req }, conn.agent);
        const code = res.statusCode ?? 500;
        if (code < 200 || code >= 300) throw mapApiError(code, await readErrorBody(res), req.ctx);
        const text = (await readBytes(res)).toString('utf8');
        return (text ? JSON.parse(text) : {}) as T;
      });
    },
    raw(req: K8sRequest): Promise<Buffer> {
      return inTurn(req, async () => {
        const res = await open({ timeoutMs: 30_000, ...req }, conn.agent);
        const code = res.statusCode ?? 500;
        if (code < 200 || code >= 300) throw mapApiError(code, await readErrorBody(res), req.ctx);
        return readBytes(res);
      });
    },
    async body(req: K8sRequest): Promise<IncomingMessage> {
      const release = await takeTurn(req);
      try {
        const res = await open({ timeoutMs: 30_000, ...req }, conn.agent);
        const code = res.statusCode ?? 500;
        if (code < 200 || code >= 300) throw mapApiError(code, await readErrorBody(res), req.ctx);
        // The turn ends with the body, read to its end or destroyed.
        res.once('close', release);
        return res;
      } catch (err) {
        release();
        throw err;
      }
    },
    async stream(req: K8sRequest): Promise<IncomingMessage> {
      // The timeout covers connecting and the response head; a watch may then be quiet for minutes.
      const res = await open({ timeoutMs: 30_000, ...req }, conn.watchAgent);
      const code = res.statusCode ?? 500;
      if (code !== 200) throw mapApiError(code, await readErrorBody(res), req.ctx);
      res.socket.setTimeout(0);
      return res;
    },
  };
}
