'use client';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/live/api-client';
import { askAccess } from '@/lib/live/access-batch';
import { accessKey, VM_ACTIONS, type AccessAnswer, type AccessAttributes } from '@/lib/kubevirt/actions';
import { accessResponse, type AccessCheck } from '@/lib/shared/access-review';
import { apiPaths } from '@/lib/shared/api-paths';

export const postChecks = async (checks: AccessCheck[]) => accessResponse.parse(await apiFetch<unknown>(apiPaths.access, { method: 'POST', body: { checks } })).results;

// Access reviews for every declared action in the given namespaces, asked once and shared by all rows and menus:
// cluster-wide first, then per namespace in batches the route accepts (lib/live/access-batch.ts). When they cannot
// be answered the menus say so, with the reason, instead of "checking" for ever.
export function useActionAccess(namespaces: string[]): (key: string) => AccessAnswer {
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
    retry: 2,
    queryFn: () => askAccess(sorted, distinct, postChecks),
  });
  const { data, error } = query;
  return useMemo(() => {
    if (error && !data) {
      const failure = { failed: error };
      return () => failure;
    }
    return (key: string) => data?.get(key);
  }, [data, error]);
}

// Who may create VMs where: one review (create virtualmachines.kubevirt.io) per namespace, cluster-wide first, for
// the "Create VM" and "Create like this" entry points. They are shown only where the answer is yes.
export const CREATE_VM_ACCESS: AccessAttributes = { verb: 'create', group: 'kubevirt.io', resource: 'virtualmachines' };

export function useCreateAccess(namespaces: string[]): { allowedIn: (namespace: string) => boolean; allowed: string[] } {
  const sorted = useMemo(() => [...new Set(namespaces)].sort(), [namespaces]);
  const { data } = useQuery({
    queryKey: ['access-create', sorted],
    enabled: sorted.length > 0,
    staleTime: 30_000,
    retry: 2,
    queryFn: () => askAccess(sorted, [CREATE_VM_ACCESS], postChecks),
  });
  return useMemo(() => {
    const allowedIn = (namespace: string) => data?.get(accessKey(namespace, CREATE_VM_ACCESS)) === true;
    return { allowedIn, allowed: sorted.filter(allowedIn) };
  }, [data, sorted]);
}

// Access reviews for a feature's own declared operations (snapshots, disks, interfaces, edits) in one namespace:
// `allowed(attrs)` is true, false, undefined while asking, or { failed } when the reviews could not be answered.
export function useAccessChecks(namespace: string, checks: readonly AccessAttributes[]): (attrs: AccessAttributes) => AccessAnswer {
  const distinct = useMemo(() => {
    const seen = new Map<string, AccessAttributes>();
    for (const a of checks) seen.set(accessKey('', a), a);
    return [...seen.values()];
  }, [checks]);
  const { data, error } = useQuery({
    queryKey: ['access-checks', namespace, distinct.map((a) => accessKey('', a)).sort()],
    enabled: namespace !== '' && distinct.length > 0,
    staleTime: 30_000,
    retry: 2,
    queryFn: () => askAccess([namespace], distinct, postChecks),
  });
  return useMemo(() => {
    if (error && !data) {
      const failure = { failed: error };
      return () => failure;
    }
    return (attrs: AccessAttributes) => data?.get(accessKey(namespace, attrs));
  }, [data, error, namespace]);
}
