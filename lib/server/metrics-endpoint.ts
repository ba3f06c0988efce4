import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { scrape } from '../metrics/registry';
import type { ErrorResponse } from '../shared/error-body';

// /metrics as server.ts answers it: on the main port beside /healthz and /readyz, or (PORTAL_METRICS_PORT) on a
// listener that answers nothing else, while the main port answers 404 for it. No session: a scraper has none, and
// the figures name no user, namespace or VM (route patterns only), so what it shows is the portal's, not a tenant's.

export const METRICS_PATH = '/metrics';

function answerError(res: ServerResponse, status: number, body: ErrorResponse, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

export function notFound(res: ServerResponse): void {
  answerError(res, 404, { error: { code: 'not_found', message: 'No such page.' } });
}

/** Answers a request for /metrics with the exposition of this process. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    answerError(res, 405, { error: { code: 'bad_request', message: 'The metrics are read with GET.' } }, { allow: 'GET, HEAD' });
    return;
  }
  scrape().then(
    ({ contentType, text }) => {
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    () => answerError(res, 500, { error: { code: 'internal', message: 'The metrics could not be collected.' } }),
  );
}

/** The separate listener of PORTAL_METRICS_PORT: /metrics and nothing else. */
export function metricsServer(): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === METRICS_PATH) serveMetrics(req, res);
    else notFound(res);
  });
}
