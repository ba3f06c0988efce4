'use client';
import { useQuery } from '@tanstack/react-query';
import { postChecks } from '../vms/use-access';
import { useNamespaces } from '../vms/use-namespaces';
import { migrationScope } from './scope';

// Where the user may list migrations (scope.ts), asked once and shared by the nav link and the migrations page.
export function useMigrationScope() {
  const namespaces = useNamespaces();
  const names = namespaces.data?.namespaces;
  const scope = useQuery({
    queryKey: ['migration-scope', names],
    enabled: namespaces.isSuccess,
    staleTime: 30_000,
    retry: 1,
    queryFn: () => migrationScope(names ?? [], postChecks),
  });
  return { scope: scope.data, isPending: namespaces.isPending || (namespaces.isSuccess && scope.isPending), error: namespaces.error ?? scope.error, refetch: () => void (namespaces.error ? namespaces.refetch() : scope.refetch()) };
}
