'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, ApiError, refreshSessionOrSignIn } from './api-client';
import { foldEvents } from './fold';
import type { KubeObject, ListSnapshot, ListWire, StreamEvent } from './types';
import { snapshotFromWire } from './wire';
import type { ResourceKey } from '../k8s/resources';

// A list that stays live: TanStack Query holds the list (GET /api/list), and a server-sent event stream from the
// same resourceVersions folds every change into that cache. Events arriving together are folded in one batch. After
// a dropped stream it reconnects from the versions in the cache, so nothing is missed and nothing is polled.

export interface LiveListOptions {
  namespaces?: string[]; // undefined: every namespace the user may work in
  fieldSelector?: string;
  enabled?: boolean;
}

const FLUSH_MS = 40;

export function useLiveList<T extends KubeObject>(resource: ResourceKey, opts: LiveListOptions = {}) {
  const qc = useQueryClient();
  const params = useMemo(() => {
    const p = new URLSearchParams({ resource });
    for (const ns of opts.namespaces ?? []) p.append('namespace', ns);
    if (opts.fieldSelector) p.set('fieldSelector', opts.fieldSelector);
    return p.toString();
  }, [resource, opts.namespaces, opts.fieldSelector]);
  const queryKey = useMemo(() => ['live', params], [params]);
  const enabled = opts.enabled ?? true;

  const query = useQuery({
    queryKey,
    queryFn: async () => snapshotFromWire(await apiFetch<ListWire<T>>(`/api/list?${params}`)),
    enabled,
    staleTime: Infinity, // the stream keeps it fresh
    gcTime: 30_000,
    retry: (n, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2,
  });
  const [live, setLive] = useState(false);
  const ready = query.isSuccess;
  const keyRef = useRef(queryKey);
  keyRef.current = queryKey;

  useEffect(() => {
    if (!ready || !enabled) return;
    let source: EventSource | undefined;
    let stopped = false;
    let pending: StreamEvent<T>[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      qc.setQueryData<ListSnapshot<T>>(keyRef.current, (old) => foldEvents(old, batch));
    };
    const reopen = (refreshFirst: boolean) => {
      source?.close();
      setLive(false);
      if (stopped || reopenTimer) return;
      failures++;
      reopenTimer = setTimeout(async () => {
        reopenTimer = undefined;
        if (refreshFirst && !(await refreshSessionOrSignIn())) return;
        open();
      }, Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)));
    };
    const open = () => {
      if (stopped) return;
      const rvs = qc.getQueryData<ListSnapshot<T>>(keyRef.current)?.resourceVersions ?? {};
      source = new EventSource(`/api/watch?${params}&rv=${encodeURIComponent(JSON.stringify(rvs))}`);
      source.onopen = () => {
        failures = 0;
        setLive(true);
      };
      source.onmessage = (m) => {
        const ev = JSON.parse(m.data as string) as StreamEvent<T>;
        if (ev.type === 'ERROR') {
          if (ev.error.code === 'unauthenticated') reopen(true);
          return;
        }
        pending.push(ev);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      };
      // The stream ended or broke; reconnect from the versions in the cache. A 401 ends it too: refresh first.
      source.onerror = () => reopen(true);
    };
    open();
    return () => {
      stopped = true;
      source?.close();
      if (flushTimer) clearTimeout(flushTimer);
      if (reopenTimer) clearTimeout(reopenTimer);
    };
  }, [ready, enabled, params, qc]);

  return { ...query, items: query.data?.items ?? ([] as T[]), live };
}
