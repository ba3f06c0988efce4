'use client';
import { useQuery } from '@tanstack/react-query';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { progressResponse, type ProgressResponse } from '@/lib/shared/migrations';

// The one poll of the portal: metrics have no watch, so while a migration moves data the page asks for KubeVirt's
// transfer gauges once a second. It stops when the migration is no longer in a data-moving phase, when the cluster
// exposes no figures, and on a refusal (the next answer would be the same).

const POLL_MS = 1000;

export function useMigrationProgress(namespace: string, name: string, polling: boolean) {
  return useQuery({
    queryKey: ['migration-progress', namespace, name],
    enabled: polling,
    retry: false,
    gcTime: 5_000,
    refetchIntervalInBackground: false,
    refetchInterval: (q) => {
      if (!polling) return false;
      const data = q.state.data as ProgressResponse | undefined;
      if (data && !data.available && data.reason === 'not-configured') return false;
      if (q.state.error instanceof ApiError && [401, 403, 404].includes(q.state.error.status)) return false;
      return POLL_MS;
    },
    queryFn: async () => progressResponse.parse(await apiFetch<unknown>(apiPaths.migrationProgress(namespace, name))),
  });
}
