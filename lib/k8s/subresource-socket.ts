import type { Agent } from 'node:http';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { objectPath } from './api-paths';
import { mapApiError, PortalError, upstreamUnreachable, type RequestContext } from './errors';
import type { K8sIdentity } from './identity';
import { connectionFor, type Connection } from './kubeconfig';
import { CONSOLE_SUBPROTOCOL } from '../shared/console-protocol';

// KubeVirt's streaming subresources (console, vnc) as websockets through the API server, dialled as the signed-in
// user: the bearer token or the impersonation headers of connectionFor, the API server's CA. Subprotocol
// plain.kubevirt.io, binary frames, no compression. A refusal (virt-api answers before upgrading: VMI not running,
// not found, forbidden) comes back as the PortalError of the one mapper in errors.ts, with KubeVirt's words
// scrubbed; the token never appears in an error, a log line or a URL. Used by server.ts (lib/ws), outside Next, so
// it must not import 'server-only'.

export type StreamSubresource = 'console' | 'vnc';

export interface SubresourceSocketTarget {
  namespace: string;
  name: string;
  subresource: StreamSubresource;
  query?: Record<string, string>;
}

export interface DialOptions {
  maxPayload: number; // a larger frame from upstream closes the socket (1009)
  handshakeTimeoutMs: number;
  signal?: AbortSignal;
}

/** Where and as whom to dial: the parts of a Connection a websocket needs. */
export type SocketConnection = Pick<Connection, 'server' | 'headers'> & { agent?: Agent };

// An error body is read only so far, like client.ts does.
const MAX_ERROR_BODY = 64 * 1024;

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8'));
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= MAX_ERROR_BODY) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}

export function subresourceSocketUrl(server: string, target: SubresourceSocketTarget): string {
  const path = objectPath({ resource: 'virtualmachineinstances', namespace: target.namespace, name: target.name, subresource: target.subresource });
  const url = new URL(server.replace(/\/$/, '') + path);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(target.query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Opens the websocket and resolves once it is open, paused: the caller resumes it once its listeners are on. Rejects
 * with a PortalError (or an AbortError).
 */
export function openSubresourceSocket(conn: SocketConnection, target: SubresourceSocketTarget, opts: DialOptions): Promise<WebSocket> {
  const ctx: RequestContext = { verb: 'get', resource: `virtualmachineinstances/${target.subresource}`, namespace: target.namespace, name: target.name };
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      return;
    }
    const ws = new WebSocket(subresourceSocketUrl(conn.server, target), [CONSOLE_SUBPROTOCOL], {
      headers: conn.headers as Record<string, string>,
      agent: conn.agent,
      maxPayload: opts.maxPayload,
      handshakeTimeout: opts.handshakeTimeoutMs,
      perMessageDeflate: false,
      followRedirects: false,
    });
    ws.binaryType = 'nodebuffer';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () =>
      settle(() => {
        ws.terminate();
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Errors after open are the pipe's business (it listens for close); this one only keeps them from throwing.
    ws.on('error', (err) => settle(() => reject(handshakeError(err))));
    ws.once('unexpected-response', (req, res) => {
      const status = res.statusCode ?? 502;
      void readBody(res).then((body) => {
        req.destroy();
        settle(() => reject(mapApiError(status, body, ctx)));
      });
    });
    ws.once('open', () =>
      settle(() => {
        if (ws.protocol !== CONSOLE_SUBPROTOCOL) {
          ws.terminate();
          reject(new PortalError(502, 'upstream_error', `The console endpoint did not accept the ${CONSOLE_SUBPROTOCOL} subprotocol.`));
          return;
        }
        // Paused until the caller listens: a VNC server speaks first, and its first bytes may already be here.
        ws.pause();
        resolve(ws);
      }),
    );
  });
}

function handshakeError(err: Error): PortalError {
  if (/handshake has timed out/i.test(err.message)) {
    return new PortalError(502, 'upstream_error', 'The console did not answer in time.', { cause: 'ETIMEDOUT' });
  }
  if (/subprotocol/i.test(err.message)) {
    return new PortalError(502, 'upstream_error', `The console endpoint did not accept the ${CONSOLE_SUBPROTOCOL} subprotocol.`);
  }
  return upstreamUnreachable(err);
}

/** The console or VNC websocket of a VMI, opened as this user through the API server. */
export async function dialSubresourceSocket(identity: K8sIdentity, target: SubresourceSocketTarget, opts: DialOptions): Promise<WebSocket> {
  const conn = await connectionFor(identity);
  // The watch agent: long-lived sockets stay off the pool short requests use (an upgraded socket leaves the pool).
  return openSubresourceSocket({ server: conn.server, headers: conn.headers, agent: conn.watchAgent }, target, opts);
}
