'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, ApiError, fetchWithCsrf, refreshSessionOrSignIn } from './api-client';
import { apiPaths } from '../shared/api-paths';
import type { KubeObject } from '../shared/kube-object';
import type { ListWire } from '../shared/list-wire';
import type { StreamEvent } from '../shared/live-protocol';
import type { ResourceKey } from '../shared/resources';
import { foldEvents, type ListSnapshot } from './fold';
import type { LiveStatus } from './live-status';
import { LiveStreamClient } from './stream-client';
import { snapshotFromWire } from './wire';

// A list that stays live: TanStack Query holds the list (GET /api/list), and a subscription on the tab's one live
// stream folds every change into that cache (lib/live/fold.ts). After the stream drops it is resubscribed from the
// versions in the cache, so nothing is missed and nothing is polled.

export interface LiveListOptions {
  namespaces?: string[]; // undefined: every namespace the user may work in
  fieldSelector?: string;
  enabled?: boolean;
}

let tabStream: LiveStreamClient | undefined;

/** The tab's one live stream, shared by every live list of every page. */
function liveStream(): LiveStreamClient {
  if (tabStream) return tabStream;
  tabStream = new LiveStreamClient({
    open: (signal, ops) =>
      ops.length
        ? fetchWithCsrf(apiPaths.stream, { method: 'POST', signal, headers: { accept: 'text/event-stream', 'content-type': 'application/json' }, body: JSON.stringify({ ops }), credentials: 'same-origin', cache: 'no-store' })
        : fetch(apiPaths.stream, { signal, headers: { accept: 'text/event-stream' }, credentials: 'same-origin', cache: 'no-store' }),
    post: (body) => apiFetch<unknown>(apiPaths.streamSubscriptions, { method: 'POST', body }),
    refreshSession: refreshSessionOrSignIn,
    failureOf: (err) =>
      err instanceof ApiError ? { status: err.status, code: err.body.code, message: err.body.message } : { status: 0, code: 'api_unreachable', message: 'The portal could not be reached.' },
  });
  const stream = tabStream;
  const follow = () => stream.setVisible(document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', follow);
  follow();
  return stream;
}

export function useLiveList<T extends KubeObject>(resource: ResourceKey, opts: LiveListOptions = {}) {
  const qc = useQueryClient();
  const namespaces = useMemo(() => [...new Set(opts.namespaces ?? [])].sort(), [opts.namespaces]);
  const path = useMemo(() => apiPaths.list({ resource, namespaces, fieldSelector: opts.fieldSelector }), [resource, namespaces, opts.fieldSelector]);
  const queryKey = useMemo(() => ['live', path], [path]);
  const enabled = opts.enabled ?? true;

  const query = useQuery({
    queryKey,
    queryFn: async () => snapshotFromWire(await apiFetch<ListWire<T>>(path)),
    enabled,
    staleTime: Infinity, // the stream keeps it fresh
    gcTime: 30_000,
    retry: (n, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2,
  });
  const [live, setLive] = useState<LiveStatus>('connecting');
  const ready = query.isSuccess;
  const keyRef = useRef(queryKey);
  keyRef.current = queryKey;

  useEffect(() => {
    if (!ready || !enabled) return;
    const key = keyRef.current;
    return liveStream().subscribe(
      { resource, namespaces, fieldSelector: opts.fieldSelector },
      {
        rvs: () => qc.getQueryData<ListSnapshot<T>>(key)?.resourceVersions,
        events: (batch) => qc.setQueryData<ListSnapshot<T>>(key, (old) => foldEvents(old, batch as StreamEvent<T>[])),
        status: setLive,
        relist: async () => {
          await qc.refetchQueries({ queryKey: key, exact: true }, { throwOnError: true });
        },
      },
    );
    // path stands for resource, namespaces and fieldSelector: a new array with the same names is no new list.
  }, [ready, enabled, path, qc]);

  return { ...query, items: query.data?.items ?? ([] as T[]), live };
}
