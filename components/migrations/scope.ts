import { askAccess, type PostChecks } from '@/lib/live/access-batch';
import { accessKey, type AccessAttributes } from '@/lib/kubevirt/actions';

// Where the user may see migrations: everywhere (one cluster-wide review says so; an admin), or the namespaces
// among those they work in where a review allows listing virtualmachineinstancemigrations. Pure but for `post`.

export const LIST_MIGRATIONS: AccessAttributes = { verb: 'list', group: 'kubevirt.io', resource: 'virtualmachineinstancemigrations' };

export interface MigrationScope {
  clusterWide: boolean;
  namespaces: string[]; // when not cluster-wide
}

export async function migrationScope(namespaces: readonly string[], post: PostChecks): Promise<MigrationScope> {
  const [everywhere] = await post([{ ...LIST_MIGRATIONS }]);
  if (everywhere?.allowed) return { clusterWide: true, namespaces: [] };
  const answers = await askAccess(namespaces, [LIST_MIGRATIONS], post);
  return { clusterWide: false, namespaces: [...new Set(namespaces)].filter((ns) => answers.get(accessKey(ns, LIST_MIGRATIONS)) === true).sort() };
}

export const seesAny = (s: MigrationScope | undefined): boolean => Boolean(s && (s.clusterWide || s.namespaces.length > 0));
