// The portal's HTTP server: Next's request handler plus an upgrade router (the console websockets of lib/ws), the
// health endpoints and /metrics (or a metrics listener of its own), the security headers of every response, refusal
// of requests Next would choke on, and one structured log line and one histogram observation per request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import next from 'next';
import { acceptRequestId, log, REQUEST_ID_HEADER } from './lib/log.ts';
import { UpgradeRouter } from './lib/server/upgrade-router.ts';
import { consoleProxy, CONSOLES_PREFIX } from './lib/ws/index.ts';
import { sessionSecretFromFile } from './lib/server/secret.ts';
import { revocationsReady, startRevocations } from './lib/auth/revocations.ts';
import { apiServerReachable } from './lib/k8s/health.ts';
import { compress } from './lib/server/compress.ts';
import { proxyToIdp } from './lib/server/idp-proxy.ts';
import { idpBrowserView, isIdpPath } from './lib/auth/idp-browser.ts';
import { refuseAtEdge } from './lib/server/edge-guard.ts';
import { applySecurityHeaders } from './lib/server/security-headers.ts';
import { listenHost } from './lib/server/listen-host.ts';
import { METRICS_PATH, metricsServer, notFound, serveMetrics } from './lib/server/metrics-endpoint.ts';
import { timeRequest } from './lib/metrics/http.ts';
import { metrics } from './lib/metrics/registry.ts';
import { IDP_ROUTE, routeLabel } from './lib/metrics/route-label.ts';
import { oidcCa, SettingsError, settings as readSettings, shareWithNextAuth, type Settings } from './lib/settings/index.ts';

function refuseToStart(error: string, fields: Record<string, unknown> = {}): never {
  log('error', 'portal refused to start', { error, ...fields });
  process.exit(1);
}

// Every setting is checked here, before anything starts: one error names every bad or missing variable.
let settings: Settings;
try {
  settings = readSettings();
} catch (err) {
  if (err instanceof SettingsError) refuseToStart(SettingsError.summary, { problems: err.problems.map((p) => `${p.variable}: ${p.message}`) });
  throw err;
}
const { dev, site, authMode, oidc } = settings;
const port = settings.listen.port;
const listen = listenHost({ authMode, host: settings.listen.host, allowRemoteKubeconfigMode: settings.listen.allowRemoteKubeconfigMode });
if (!listen.ok) refuseToStart(listen.error);
const { host: hostname, warnings: listenWarnings } = listen;
for (const warning of listenWarnings) log('warn', warning);
if (settings.sandbox) log('info', 'sandbox mode: unset settings default to the sandbox\'s', { dev });

// next-auth builds its callback URL from NEXTAUTH_URL (the identity provider only accepts the registered ones), and
// the route handlers read the settings again in their own bundles: both find the same URL and session secret.
const sessionSecret = settings.session.secret ?? sessionSecretFromFile(resolve(settings.session.stateDir, 'session-secret'));
shareWithNextAuth(site, sessionSecret);

// The process metrics (heap, event loop, GC) count from the start, not from the first scrape.
metrics();

const app = next({ dev, hostname: 'localhost', port, dir: process.cwd() });
let prepared = false;

async function main(): Promise<void> {
  // Before any request: with PORTAL_SESSION_STORE=kubernetes, the replica lists and follows the shared map of
  // signed-out sessions, and is not ready until it has listed it once.
  startRevocations();
  await app.prepare();
  prepared = true;
  const handle = app.getRequestHandler();
  const upgrades = new UpgradeRouter(app.getUpgradeHandler());
  // The consoles (lib/ws): authenticated from the session cookie, which this process decrypts with the same secret.
  const consoles = consoleProxy({ sessionSecret });
  upgrades.add(CONSOLES_PREFIX, consoles.handle);
  const idp = idpBrowserView(oidc, site.origin);
  const idpCa = oidc && oidcCa(oidc);
  if (idp) log('info', 'serving the identity provider\'s pages from the portal\'s origin', { path: idp.issuer.pathname, issuer: idp.issuer.href });

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER], randomUUID);
    // Route handlers read the id from the request headers and put it in their own log lines.
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    applySecurityHeaders(req, res, { site, dev });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const toIdp = Boolean(idp && isIdpPath(idp, path));
    timeRequest(req, res, toIdp ? IDP_ROUTE : routeLabel(path));
    res.on('finish', () => {
      if (path.startsWith('/_next/static')) return;
      log('info', 'request', {
        requestId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    });

    const refusal = refuseAtEdge(req);
    if (refusal) {
      // An oversized body is not read; closing keeps its remainder from being parsed as the next request.
      res.writeHead(refusal.status, { 'content-type': 'application/json', ...(refusal.status === 413 ? { connection: 'close' } : {}) }).end(JSON.stringify(refusal.body));
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path === METRICS_PATH) {
      // With a metrics port of its own, the main port (the one an Ingress publishes) has no /metrics.
      if (settings.metrics.port) notFound(res);
      else serveMetrics(req, res);
      return;
    }
    if (path === '/readyz') {
      void apiServerReachable().then((apiServer) => {
        const sessions = revocationsReady();
        const ok = prepared && apiServer && sessions;
        res
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks: { next: prepared, apiServer, sessions } }));
      });
      return;
    }
    if (idp && toIdp) {
      // The provider's pages are its own (Dex's login page has an inline script): the portal's script policy is not
      // theirs to follow; framing and plugins stay refused.
      res.setHeader('content-security-policy', "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
      proxyToIdp(idp, idpCa, req, res);
      return;
    }
    compress(req, res, () => void handle(req, res));
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => upgrades.handle(req, socket, head);
  // Next's request handler adds an 'upgrade' listener of its own to the server on its first request
  // (NextServer.setupWebSocketHandler). It would answer every upgrade a second time and close the consoles' sockets
  // under them; the router already hands Next the upgrades that are its own (/_next/). Only the router listens.
  server.on('newListener', (event, listener) => {
    if (event === 'upgrade' && listener !== onUpgrade) queueMicrotask(() => server.off('upgrade', listener as (...args: unknown[]) => void));
  });
  server.on('upgrade', onUpgrade);
  server.listen(port, hostname, () => {
    log('info', 'portal listening', { url: `http://localhost:${port}`, host: hostname, dev, authMode });
    // Repeated once the server is up, where someone reading the end of the start-up log will see it.
    for (const warning of listenWarnings) log('warn', warning);
  });
  const metricsPort = settings.metrics.port;
  const metricsListener = metricsPort ? metricsServer() : undefined;
  if (metricsListener) {
    metricsListener.on('error', (err) => refuseToStart(`the metrics listener failed: ${err.message}`, { port: metricsPort }));
    metricsListener.listen(metricsPort, hostname, () => log('info', 'metrics listening', { url: `http://localhost:${metricsPort}${METRICS_PATH}`, host: hostname }));
  }

  const shutdown = (signal: string) => {
    log('info', 'shutting down', { signal });
    consoles.closeAll();
    server.close();
    server.closeAllConnections();
    metricsListener?.close();
    metricsListener?.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log('error', 'portal failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
