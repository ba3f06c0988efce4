'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { CreateOptions } from '@/lib/shared/create-api';

// What the wizard offers in one namespace (GET /api/create/options), asked again when the namespace changes. The
// previous namespace's answer stays on screen meanwhile; `current` says whether the answer is the namespace's.
export function useCreateOptions(namespace: string | undefined) {
  const query = useQuery({
    queryKey: ['create-options', namespace ?? ''],
    queryFn: () => apiFetch<CreateOptions>(apiPaths.createOptions(namespace || undefined)),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    retry: (n, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2,
  });
  const current = Boolean(query.data && !query.isPlaceholderData && (!namespace || query.data.namespace === namespace));
  return { ...query, current };
}
