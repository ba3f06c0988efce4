import { z } from 'zod';
import { withUser } from '@/lib/api/route';
import { namespaceName } from '@/lib/api/path-params';
import { jsonQueryParam } from '@/lib/api/query-params';
import { watchSessionEnd } from '@/lib/auth/session-end';
import { defOf, parseScopeQuery } from '@/lib/api/scopes';
import { followScope } from '@/lib/k8s/watch';
import type { StreamEvent } from '@/lib/live/types';

export const dynamic = 'force-dynamic';

// Server-sent events: one stream per list the page shows. `rv` carries the resourceVersion per scope from the
// list (or from the browser's cache after a reconnect); each scope is followed independently.
// Scopes are namespaces ('' = cluster-wide), capped like the namespace list of a list request.
const rvQuery = z
  .record(z.union([z.literal(''), namespaceName]), z.string().max(64).regex(/^[A-Za-z0-9._-]*$/))
  .refine((r) => Object.keys(r).length <= 500, 'at most 500 scopes');

export const GET = withUser(async (req, { client, requestId, session }) => {
  const q = parseScopeQuery(req.nextUrl.searchParams);
  const rvs = jsonQueryParam(req.nextUrl.searchParams, 'rv', rvQuery, '{}');
  const scopes = Object.keys(rvs);
  const def = defOf(q.resource);
  const abort = new AbortController();
  req.signal.addEventListener('abort', () => abort.abort(), { once: true });
  // Authorized once, at open: the stream must not outlive a sign-out or the session's end.
  const stopSessionWatch = watchSessionEnd(session, () => abort.abort());
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
          abort.abort();
        }
      };
      const emit = (ev: StreamEvent) => write(`data: ${JSON.stringify(ev)}\n\n`);
      // Comments keep proxies from closing an idle stream.
      const ping = setInterval(() => write(': ping\n\n'), 15_000);
      write('retry: 2000\n: open\n\n');
      const done = Promise.all(
        scopes.map((scope) => followScope({ client, def, scope, resourceVersion: rvs[scope] || undefined, fieldSelector: q.fieldSelector, signal: abort.signal, emit, requestId })),
      );
      void done.finally(() => {
        clearInterval(ping);
        stopSessionWatch();
        if (!closed) {
          closed = true;
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        }
      });
    },
    cancel() {
      abort.abort();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
});
