import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from './registry';
import { methodLabel } from './route-label';

// The request histogram, fed by server.ts for every request it takes (pages, route handlers, its own endpoints,
// Next's files), whoever answers it.

/** The status label of a request whose client went away before any answer was sent (nginx's convention). */
export const CLIENT_CLOSED = '499';

/** Observes the request once its response ends, or its connection does: a live stream ends when the tab goes. */
export function timeRequest(req: IncomingMessage, res: ServerResponse, route: string): void {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const status = res.headersSent ? String(res.statusCode) : CLIENT_CLOSED;
    metrics().httpDuration.observe({ method: methodLabel(req.method), route, status }, Number(process.hrtime.bigint() - started) / 1e9);
  });
}
