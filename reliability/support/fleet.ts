// Portal replicas behind one address, as a cluster runs them: N production portals (bench/support.ts startPortal)
// with the same settings and session secret, each with a state directory of its own (as pods have), behind a
// round-robin balancer on the public port that sends every request and every websocket upgrade to the next
// replica, so one user's requests alternate between them. A stopped replica is out of the rotation until it is
// started again, as a Service drops an endpoint that is not ready.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import { startPortal, type Portal } from '../../bench/support';

const publicPort = Number(process.env.PORTAL_E2E_PORT ?? 3000);
export const publicUrl = `http://localhost:${publicPort}`;

/** Where the fleet's replicas keep the revoked sessions when the shared store is switched on (PORTAL_SESSION_STORE). */
const sessionStore = {
  namespace: process.env.PORTAL_SESSION_STORE_NAMESPACE ?? 'default',
  name: process.env.PORTAL_SESSION_STORE_NAME ?? 'kubevirt-portal-sessions',
};

export interface Routed {
  replica: number;
  kind: 'http' | 'ws';
  method: string;
  url: string;
}

export interface Fleet {
  url: string;
  /** The replicas' own addresses (http://localhost:<internal port>), to call one directly. */
  replicaUrls: string[];
  logFiles: string[];
  /** Every request and upgrade the balancer passed on, in order, with the replica it went to. */
  routed: Routed[];
  stop(i: number): Promise<void>;
  start(i: number): Promise<void>;
  restart(i: number): Promise<void>;
  close(): Promise<void>;
}

export interface FleetOptions {
  replicas: number;
  env?: Record<string, string>;
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const n = opts.replicas;
  // Internal ports next to the public one, clear of the sandbox's own (offset from 5556, 6443, ...).
  const ports = Array.from({ length: n }, (_, i) => publicPort + 10 + i);
  const root = mkdtempSync(join(tmpdir(), 'portal-fleet-'));
  const env: Record<string, string> = {
    // One secret for all: a cookie sealed by one replica opens on the other.
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    PORTAL_SESSION_STORE: 'kubernetes',
    PORTAL_SESSION_STORE_NAMESPACE: sessionStore.namespace,
    PORTAL_SESSION_STORE_NAME: sessionStore.name,
    ...opts.env,
  };
  const portals: (Portal | undefined)[] = Array.from({ length: n });
  const logFiles = ports.map((_, i) => `${join(root, `replica-${i}`)}.log`);
  const routed: Routed[] = [];

  const start = async (i: number) => {
    if (portals[i]) return;
    portals[i] = await startPortal({ port: ports[i], publicUrl, stateDir: join(root, `replica-${i}`), env });
  };
  const stop = async (i: number) => {
    const p = portals[i];
    portals[i] = undefined; // out of the rotation first
    await p?.stop();
  };

  let next = 0;
  const pick = (): number | undefined => {
    for (let k = 0; k < n; k++) {
      const i = (next + k) % n;
      if (portals[i]) {
        next = i + 1;
        return i;
      }
    }
    return undefined;
  };

  const proxy = createProxyServer({ ws: true, xfwd: true });
  // A replica that went away mid-request (a restart): the client sees what it would see from a real balancer.
  proxy.on('error', (_err, _req, res) => {
    const r = res as { headersSent?: boolean; writeHead?: (s: number, h: Record<string, string>) => void; end?: (b: string) => void; destroy?: () => void };
    if (r.writeHead && !r.headersSent) {
      r.writeHead(502, { 'content-type': 'application/json' });
      r.end?.(JSON.stringify({ error: { code: 'bad_gateway', message: 'The replica went away.' } }));
    } else r.destroy?.();
  });

  const server: Server = createServer((req, res) => {
    const i = pick();
    if (i === undefined) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'No replica is up.' } }));
      return;
    }
    routed.push({ replica: i, kind: 'http', method: req.method ?? 'GET', url: req.url ?? '' });
    proxy.web(req, res, { target: `http://127.0.0.1:${ports[i]}` });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const i = pick();
    if (i === undefined) return socket.destroy();
    routed.push({ replica: i, kind: 'ws', method: 'GET', url: req.url ?? '' });
    socket.on('error', () => socket.destroy());
    proxy.ws(req, socket, head, { target: `ws://127.0.0.1:${ports[i]}` });
  });

  const close = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    proxy.close();
    await Promise.all(portals.map((_, i) => stop(i)));
    // The logs stay, for a failed run to be read.
    for (let i = 0; i < n; i++) rmSync(join(root, `replica-${i}`), { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await Promise.all(portals.map((_, i) => start(i)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(publicPort, '0.0.0.0', () => resolve());
    });
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return {
    url: publicUrl,
    replicaUrls: ports.map((p) => `http://localhost:${p}`),
    logFiles,
    routed,
    stop,
    start,
    restart: async (i) => {
      await stop(i);
      await start(i);
    },
    close,
  };
}
