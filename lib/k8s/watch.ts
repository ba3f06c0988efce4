import 'server-only';
import type { K8sClient } from './client';
import { isTransportError, mapApiError, PortalError, toPortalError, upstreamUnreachable, type RequestContext } from './errors';
import { listScope, type ListOptions } from './list';
import { collectionPath } from './api-paths';
import { trimObject } from './trim';
import { refusalIsFinal, watchRetryDelayMs } from './watch-backoff';
import type { KubeObject } from '../shared/kube-object';
import type { StreamEvent } from '../shared/live-protocol';
import { qualifiedName, type ResourceDef } from '../shared/resources';
import { log } from '../log';
import { metrics } from '../metrics/registry';

// Follows one scope of a resource: watch from a resourceVersion with bookmarks, resume after the server ends a
// watch, and list again (emitting RELIST) when the version is too old (410 Gone) or none was given. Errors are
// emitted (scrubbed, through the one mapper) so the browser can show them: refused credentials or permission end
// the follow (final), anything else is retried with backoff.

export interface FollowOptions extends ListOptions {
  client: K8sClient;
  def: ResourceDef;
  scope: string;
  resourceVersion?: string;
  signal: AbortSignal;
  emit: (ev: StreamEvent) => void;
  // Called each time a watch of the scope is open (the API server answered 200).
  onWatching?: () => void;
  requestId?: string;
}

interface WatchLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string };
}

// The listener goes when the pause ends: a stream's signal lives for hours, through every retry of its watches.
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

const isFinal = (e: PortalError) => e.status === 401 || e.status === 403;

export async function followScope(opts: FollowOptions): Promise<void> {
  const { client, def, scope, signal, emit } = opts;
  const ctx: RequestContext = { verb: 'watch', resource: qualifiedName(def), namespace: scope || undefined };
  let rv = opts.resourceVersion;
  let failures = 0;
  let refusals = 0; // since the API server could last not be reached

  while (!signal.aborted) {
    try {
      if (!rv) {
        const listed = await listScope(client, def, scope, opts);
        rv = listed.resourceVersion;
        emit({ type: 'RELIST', scope, items: listed.items, resourceVersion: rv });
      }
      const res = await client.stream({
        path: collectionPath(def, scope),
        query: {
          watch: 1,
          allowWatchBookmarks: true,
          resourceVersion: rv,
          // The API server ends watches after this; we resume from the last version seen.
          timeoutSeconds: 240 + Math.floor(Math.random() * 60),
          fieldSelector: opts.fieldSelector,
          labelSelector: opts.labelSelector,
        },
        ctx,
        signal,
      });
      opts.onWatching?.();
      const opened = Date.now();
      let buffer = '';
      let failed: PortalError | undefined;
      const open = metrics().upstreamWatches.labels({ resource: def.plural });
      open.inc();
      try {
        for await (const chunk of res) {
          buffer += (chunk as Buffer).toString('utf8');
          let nl: number;
          while (!failed && (nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as WatchLine;
            if (ev.type === 'ERROR') {
              // The event's object is a Status: the same mapping (and scrubbing) as an HTTP answer.
              failed = mapApiError(ev.object.code || 500, ev.object, ctx);
              break;
            }
            const next = ev.object.metadata?.resourceVersion;
            if (next) rv = next;
            if (ev.type === 'BOOKMARK') emit({ type: 'BOOKMARK', scope, resourceVersion: rv! });
            else emit({ type: ev.type, scope, object: trimObject(ev.object) });
          }
          if (failed) break;
        }
      } finally {
        res.destroy();
        open.dec();
      }
      if (failed) throw failed;
      failures = 0; // a watch that ran to its end was healthy
      refusals = 0;
      // ...unless the server keeps ending it at once: then do not reopen in a tight loop.
      if (Date.now() - opened < 1000) await sleep(1000, signal);
    } catch (err) {
      if (signal.aborted) return;
      // A watch cut off while it ran (the API server restarting, a reset) is an upstream failure too.
      const e = !(err instanceof PortalError) && isTransportError(err) ? upstreamUnreachable(err) : toPortalError(err);
      if (e.status === 410) {
        rv = undefined;
        continue;
      }
      const final = isFinal(e) && refusalIsFinal(failures, refusals);
      if (isFinal(e)) refusals++;
      emit({ type: 'ERROR', scope, error: { code: e.code, message: e.message }, final });
      // A refused credential or permission will not fix itself by retrying; the browser resubscribes after it
      // refreshed the session.
      if (final) return;
      failures++;
      log('warn', 'watch failed, retrying', { requestId: opts.requestId, resource: def.plural, scope, code: e.code, failures });
      await sleep(watchRetryDelayMs(failures), signal);
    }
  }
}
