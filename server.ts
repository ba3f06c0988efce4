// The portal's HTTP server: Next's request handler plus an upgrade router (console websockets plug in there), the
// health endpoints, the security headers of every response, refusal of requests Next would choke on, and one
// structured log line per request carrying a request id.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import next from 'next';
import { acceptRequestId, log, REQUEST_ID_HEADER } from './lib/log.ts';
import { UpgradeRouter } from './lib/server/upgrade-router.ts';
import { ensureSessionSecret } from './lib/server/secret.ts';
import { apiServerReachable } from './lib/k8s/health.ts';
import { compress } from './lib/server/compress.ts';
import { proxyToIdp } from './lib/server/idp-proxy.ts';
import { idpBrowserView, isIdpPath } from './lib/auth/idp-browser.ts';
import { oidcSettings } from './lib/auth/oidc-settings.ts';
import { refuseAtEdge } from './lib/server/edge-guard.ts';
import { publicUrl } from './lib/server/public-url.ts';
import { applySecurityHeaders } from './lib/server/security-headers.ts';
import { listenHost } from './lib/server/listen-host.ts';

const dev = process.argv.includes('--dev') || process.env.NODE_ENV === 'development';
const port = Number(process.env.PORT ?? 3000);
const listen = listenHost({
  authMode: process.env.PORTAL_AUTH_MODE,
  host: process.env.HOST,
  allowRemoteKubeconfigMode: process.env.PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE,
});
if (!listen.ok) {
  log('error', 'portal refused to start', { error: listen.error });
  process.exit(1);
}
const { host: hostname, warnings: listenWarnings } = listen;
for (const warning of listenWarnings) log('warn', warning);

// next-auth builds its callback URL from NEXTAUTH_URL; the identity provider only accepts the registered ones.
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
// Parsed once here so a malformed NEXTAUTH_URL stops the start instead of failing every request.
const site = publicUrl();
ensureSessionSecret(resolve(process.env.PORTAL_STATE_DIR ?? '.portal', 'session-secret'));

const app = next({ dev, hostname: 'localhost', port, dir: process.cwd() });
let prepared = false;

async function main(): Promise<void> {
  await app.prepare();
  prepared = true;
  const handle = app.getRequestHandler();
  const upgrades = new UpgradeRouter(app.getUpgradeHandler());
  const oidc = oidcSettings();
  const idp = idpBrowserView(process.env, oidc.issuer, process.env.NEXTAUTH_URL);
  if (idp) log('info', 'serving the identity provider\'s pages from the portal\'s origin', { path: idp.issuer.pathname, issuer: oidc.issuer });

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER], randomUUID);
    // Route handlers read the id from the request headers and put it in their own log lines.
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    applySecurityHeaders(req, res, { site, dev });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
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
    if (path === '/readyz') {
      void apiServerReachable().then((apiServer) => {
        const ok = prepared && apiServer;
        res
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks: { next: prepared, apiServer } }));
      });
      return;
    }
    if (idp && isIdpPath(idp, path)) {
      // The provider's pages are its own (Dex's login page has an inline script): the portal's script policy is not
      // theirs to follow; framing and plugins stay refused.
      res.setHeader('content-security-policy', "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
      proxyToIdp(idp, oidc.ca, req, res);
      return;
    }
    compress(req, res, () => void handle(req, res));
  });
  server.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head));
  server.listen(port, hostname, () => {
    log('info', 'portal listening', { url: `http://localhost:${port}`, host: hostname, dev, authMode: process.env.PORTAL_AUTH_MODE ?? 'token' });
    // Repeated once the server is up, where someone reading the end of the start-up log will see it.
    for (const warning of listenWarnings) log('warn', warning);
  });

  const shutdown = (signal: string) => {
    log('info', 'shutting down', { signal });
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log('error', 'portal failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
