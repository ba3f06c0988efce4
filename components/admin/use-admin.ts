'use client';
import { useQuery } from '@tanstack/react-query';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { AdminAccessResponse, ProjectDetail, ProjectsResponse } from '@/lib/admin/projects';

// The admin area's reads. Projects are read on demand and after each change (the routes read quotas' status as it
// is then), not watched: the live stream serves the browser's namespaced resources only.

export const adminKeys = {
  access: ['admin-access'] as const,
  projects: ['admin-projects'] as const,
  project: (namespace: string) => ['admin-project', namespace] as const,
};

// A refusal or a missing object does not get better by asking again.
const retry = (n: number, err: unknown) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2;

export function useAdminAccess() {
  return useQuery({ queryKey: adminKeys.access, queryFn: () => apiFetch<AdminAccessResponse>(apiPaths.adminAccess), staleTime: 60_000, retry: 1 });
}

export function useProjects() {
  return useQuery({ queryKey: adminKeys.projects, queryFn: () => apiFetch<ProjectsResponse>(apiPaths.adminProjects), retry });
}

export function useProject(namespace: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: adminKeys.project(namespace),
    queryFn: () => apiFetch<ProjectDetail>(apiPaths.adminProject(namespace)),
    retry,
    enabled: opts.enabled ?? true,
    // A namespace being deleted is followed until it is gone.
    refetchInterval: (q) => (q.state.data?.phase === 'Terminating' ? 2000 : false),
  });
}
