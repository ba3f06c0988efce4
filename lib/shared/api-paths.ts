import type { ResourceKey } from './resources';

// Every portal API path the browser calls, built here so a route's address lives in one place besides its own
// folder under app/api/. Path segments are always percent-encoded: a name is data, never path syntax.

export interface ListQuery {
  resource: ResourceKey;
  namespaces?: readonly string[]; // none: every namespace the user may work in
  fieldSelector?: string;
}

// The parameter names lib/api/scopes.ts reads.
function listSearch(q: ListQuery): string {
  const p = new URLSearchParams({ resource: q.resource });
  for (const ns of q.namespaces ?? []) p.append('namespace', ns);
  if (q.fieldSelector) p.set('fieldSelector', q.fieldSelector);
  return p.toString();
}

const segment = encodeURIComponent;

export const apiPaths = {
  list: (q: ListQuery) => `/api/list?${listSearch(q)}`,
  stream: '/api/stream',
  streamSubscriptions: '/api/stream/subscriptions',
  access: '/api/access',
  namespaces: '/api/namespaces',
  vmAction: (namespace: string, name: string, action: string) => `/api/vms/${segment(namespace)}/${segment(name)}/actions/${segment(action)}`,
  // A VM's disks: GET the storage classes a new disk may use, POST a disk; PATCH (expand) or DELETE one.
  vmDisks: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/disks`,
  vmDisk: (namespace: string, name: string, disk: string) => `/api/vms/${segment(namespace)}/${segment(name)}/disks/${segment(disk)}`,
  logoutUrl: '/api/session/logout-url',
  createOptions: (namespace?: string) => `/api/create/options${namespace ? `?namespace=${segment(namespace)}` : ''}`,
  createVm: '/api/vms/create',
  migrationNodes: '/api/migrations/nodes',
  migrationProgress: (namespace: string, name: string) => `/api/migrations/progress?${new URLSearchParams({ namespace, name }).toString()}`,
  // The Snapshots tab: snapshots, restores and clones of one VM.
  vmSnapshots: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/snapshots`,
  vmSnapshot: (namespace: string, name: string, snapshot: string) => `/api/vms/${segment(namespace)}/${segment(name)}/snapshots/${segment(snapshot)}`,
  vmRestores: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/restores`,
  vmClones: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/clones`,
  vmInterfaces: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/interfaces`,
  vmInterface: (namespace: string, name: string, iface: string) => `/api/vms/${segment(namespace)}/${segment(name)}/interfaces/${segment(iface)}`,
  adminNetworks: '/api/admin/networks',
  adminNetwork: (namespace: string, name: string) => `/api/admin/networks/${segment(namespace)}/${segment(name)}`,
  adminCluster: '/api/admin/cluster',
  adminAccess: '/api/admin/access',
  adminProjects: '/api/admin/projects',
  adminProject: (namespace: string) => `/api/admin/projects/${segment(namespace)}`,
  vmEdit: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/edit`,
} as const;
