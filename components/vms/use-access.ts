'use client';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/live/api-client';
import { accessKey, VM_ACTIONS, type AccessAttributes } from '@/lib/kubevirt/actions';

// Access reviews for every declared action in the given namespaces: a handful of reviews per namespace, asked once
// and shared by all rows and menus.
export function useActionAccess(namespaces: string[]) {
  const distinct = useMemo(() => {
    const seen = new Map<string, AccessAttributes>();
    for (const def of Object.values(VM_ACTIONS)) seen.set(accessKey('', def.access), def.access);
    return [...seen.values()];
  }, []);
  const sorted = useMemo(() => [...new Set(namespaces)].sort(), [namespaces]);
  const query = useQuery({
    queryKey: ['access', sorted],
    enabled: sorted.length > 0,
    staleTime: 30_000,
    queryFn: async () => {
      const checks = sorted.flatMap((namespace) => distinct.map((a) => ({ ...a, namespace })));
      const { results } = await apiFetch<{ results: (AccessAttributes & { namespace: string; allowed: boolean })[] }>('/api/access', { method: 'POST', body: { checks } });
      return new Map(results.map((r) => [accessKey(r.namespace, r), r.allowed]));
    },
  });
  const map = query.data;
  return useMemo(() => (key: string) => map?.get(key), [map]);
}
