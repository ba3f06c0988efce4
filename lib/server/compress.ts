import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';

// Response compression for the whole portal, in place of Next's (which is off in next.config.ts): Next compresses
// everything at zlib's default level, and for a 1,000-VM list that alone costs as much as the list route's whole
// latency budget over a raw API server list. API responses (JSON, changing every time) get the fastest level;
// built assets, compressed once and cached by the browser, keep the default. Server-sent events (/api/stream)
// carry `cache-control: no-transform` and pass through uncompressed.
const fast = compression({ level: 1 });
const thorough = compression();

export function compress(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  (path.startsWith('/api/') ? fast : thorough)(req as never, res as never, next);
}
