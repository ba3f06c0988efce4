'use client';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/live/api-client';

export function useNamespaces() {
  return useQuery({
    queryKey: ['namespaces'],
    queryFn: () => apiFetch<{ namespaces: string[]; clusterWide: boolean }>('/api/namespaces'),
    staleTime: 60_000,
  });
}
