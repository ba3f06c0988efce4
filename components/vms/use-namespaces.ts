'use client';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { NamespacesResponse } from '@/lib/shared/namespaces';

export function useNamespaces() {
  return useQuery({
    queryKey: ['namespaces'],
    queryFn: () => apiFetch<NamespacesResponse>(apiPaths.namespaces),
    staleTime: 60_000,
  });
}
