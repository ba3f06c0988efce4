'use client';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/live/api-client';
import { targetChoices, type TargetChoice } from '@/lib/kubevirt/migrations';
import { accessResponse } from '@/lib/shared/access-review';
import { apiPaths } from '@/lib/shared/api-paths';
import { nodesResponse } from '@/lib/shared/migrations';

// The migrate dialog's target nodes: listed only when an access review says the user may list nodes; otherwise the
// scheduler chooses. Asked when the dialog opens, not followed: the choice is made there and then.

export type TargetNodes =
  | { state: 'checking' | 'hidden' | 'loading' }
  | { state: 'failed'; error: unknown }
  | { state: 'ready'; choices: TargetChoice[]; truncated: boolean };

const LIST_NODES = { verb: 'list', group: '', resource: 'nodes' } as const;

export function useTargetNodes(sourceNode: string | undefined): TargetNodes {
  const access = useQuery({
    queryKey: ['access-list-nodes'],
    staleTime: 30_000,
    retry: 1,
    queryFn: async () => accessResponse.parse(await apiFetch<unknown>(apiPaths.access, { method: 'POST', body: { checks: [LIST_NODES] } })).results[0]?.allowed === true,
  });
  const nodes = useQuery({
    queryKey: ['migration-nodes'],
    enabled: access.data === true,
    staleTime: 10_000,
    retry: 1,
    queryFn: async () => nodesResponse.parse(await apiFetch<unknown>(apiPaths.migrationNodes)),
  });
  return useMemo((): TargetNodes => {
    // A review that could not be answered hides the list like a "no": the scheduler still chooses.
    if (access.isPending) return { state: 'checking' };
    if (access.data !== true) return { state: 'hidden' };
    if (nodes.error) return { state: 'failed', error: nodes.error };
    if (!nodes.data) return { state: 'loading' };
    return { state: 'ready', choices: targetChoices(nodes.data.nodes, sourceNode), truncated: nodes.data.truncated === true };
  }, [access.isPending, access.data, nodes.error, nodes.data, sourceNode]);
}
