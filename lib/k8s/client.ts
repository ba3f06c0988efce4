// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import type { Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { connectionFor } from './kubeconfig';
import { identityKey, type K8sIdentity } from './identity';
import { mapApiError, PortalError, upstreamUnreachable, type RequestContext } from './errors';
import { KeyedLimiter, LimitError } from './limits';
import { settings } from '../settings';
import { NO_SOCKET, openRequest, readAll, readUpTo } from './transport';

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

// An error body is read only so far: it is scrubbed and cut to a few hundred characters anyway.
const MAX_ERROR_BODY = 64 * 1024;

async function readErrorBody(res: IncomingMessage): Promise<string> {
  return (await readUpTo(res, MAX_ERROR_BODY)).bytes.toString('utf8');
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
      return await openRequest(conn, { ...req, agent, socketWaitMs: limits.requestWaitMs });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      if ((err as { code?: string }).code === NO_SOCKET) {
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
        const text = (await readAll(res)).toString('utf8');
        return (text ? JSON.parse(text) : {}) as T;
      });
    },
    raw(req: K8sRequest): Promise<Buffer> {
      return inTurn(req, async () => {
        const res = await open({ timeoutMs: 30_000, ...req }, conn.agent);
        const code = res.statusCode ?? 500;
        if (code < 200 || code >= 300) throw mapApiError(code, await readErrorBody(res), req.ctx);
        return readAll(res);
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
