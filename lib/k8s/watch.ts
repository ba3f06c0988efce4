import 'server-only';
import type { K8sClient } from './client';
import { PortalError } from './errors';
import { listScope, type ListOptions } from './list';
import { collectionPath, qualifiedName, type ResourceDef } from './resources';
import { trimObject } from './trim';
import type { KubeObject, StreamEvent } from '../live/types';
import { log } from '../log';

// Follows one scope of a resource: watch from a resourceVersion with bookmarks, resume after the server ends a
// watch, and list again (emitting RELIST) when the version is too old (410 Gone) or none was given.

export interface FollowOptions extends ListOptions {
  client: K8sClient;
  def: ResourceDef;
  scope: string;
  resourceVersion?: string;
  signal: AbortSignal;
  emit: (ev: StreamEvent) => void;
  requestId?: string;
}

interface WatchLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function followScope(opts: FollowOptions): Promise<void> {
  const { client, def, scope, signal, emit } = opts;
  let rv = opts.resourceVersion;
  let failures = 0;

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
        ctx: { verb: 'watch', resource: qualifiedName(def), namespace: scope || undefined },
        signal,
      });
      failures = 0;
      let buffer = '';
      let gone = false;
      let interrupted = false;
      for await (const chunk of res) {
        buffer += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as WatchLine;
          if (ev.type === 'ERROR') {
            if (ev.object.code === 410) gone = true;
            else {
              emit({ type: 'ERROR', scope, error: { code: 'upstream_error', message: String(ev.object.message ?? 'watch error') } });
              interrupted = true;
            }
            break;
          }
          const next = ev.object.metadata?.resourceVersion;
          if (next) rv = next;
          if (ev.type === 'BOOKMARK') emit({ type: 'BOOKMARK', scope, resourceVersion: rv! });
          else emit({ type: ev.type, scope, object: trimObject(ev.object) });
        }
        if (gone || interrupted) break;
      }
      res.destroy();
      if (gone) rv = undefined;
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof PortalError && err.status === 410) {
        rv = undefined;
        continue;
      }
      const e = err instanceof PortalError ? err : new PortalError(500, 'internal', 'watch failed');
      emit({ type: 'ERROR', scope, error: { code: e.code, message: e.message } });
      // A refused credential or permission will not fix itself by retrying; the browser reconnects after it
      // refreshed the session.
      if (e.status === 401 || e.status === 403) return;
      failures++;
      log('warn', 'watch failed, retrying', { requestId: opts.requestId, resource: def.plural, scope, code: e.code, failures });
      await sleep(Math.min(30_000, 500 * 2 ** failures), signal);
    }
  }
}
