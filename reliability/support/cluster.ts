import { kubectl } from '../../e2e/support/cluster';

// What the portal could have created, read as the cluster admin with kubectl: every namespaced kind a portal route
// makes (VMs and what they are made of, snapshots, restores, clones, migrations, networks, project parts) in the
// given namespaces, and the namespaces themselves. Each object as kind/namespace/name#uid@generation, so a created,
// replaced or re-specified object shows in a comparison.

const PORTAL_MADE_KINDS = [
  'virtualmachines.kubevirt.io',
  'virtualmachineinstances.kubevirt.io',
  'virtualmachineinstancemigrations.kubevirt.io',
  'virtualmachinesnapshots.snapshot.kubevirt.io',
  'virtualmachinesnapshotcontents.snapshot.kubevirt.io',
  'virtualmachinerestores.snapshot.kubevirt.io',
  'virtualmachineclones.clone.kubevirt.io',
  'datavolumes.cdi.kubevirt.io',
  'persistentvolumeclaims',
  'volumesnapshots.snapshot.storage.k8s.io',
  'network-attachment-definitions.k8s.cni.cncf.io',
  'secrets',
  'configmaps',
  'resourcequotas',
  'limitranges',
  'networkpolicies.networking.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'serviceaccounts',
] as const;

type Item = { kind: string; metadata: { namespace?: string; name: string; uid: string; generation?: number; deletionTimestamp?: string } };

function list(args: string[]): Item[] {
  const r = kubectl(['get', ...args, '-o', 'json']);
  if (r.status !== 0) throw new Error(`kubectl get ${args.join(' ')}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { items: Item[] }).items;
}

const key = (i: Item) => `${i.kind}/${i.metadata.namespace ?? ''}/${i.metadata.name}#${i.metadata.uid}@${i.metadata.generation ?? ''}`;

function items(namespaces: string[]): Item[] {
  return [...list(['namespaces']), ...namespaces.flatMap((ns) => list([PORTAL_MADE_KINDS.join(','), '-n', ns]))];
}

export interface Inventory {
  keys: string[];
  /** What was on its way out (earlier suites delete without waiting): it may vanish with nothing done to it. */
  terminating: string[];
}

export function objectInventory(namespaces: string[]): Inventory {
  const all = items(namespaces);
  return { keys: all.map(key).sort(), terminating: all.filter((i) => i.metadata.deletionTimestamp).map(key).sort() };
}

/** What appeared and what went away between two inventories; what was already terminating may go. */
export function inventoryDiff(before: Inventory, after: Inventory): { added: string[]; removed: string[] } {
  const b = new Set(before.keys);
  const a = new Set(after.keys);
  const going = new Set(before.terminating);
  return { added: after.keys.filter((k) => !b.has(k)), removed: before.keys.filter((k) => !a.has(k) && !going.has(k)) };
}
