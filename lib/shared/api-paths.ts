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
  logoutUrl: '/api/session/logout-url',
  createOptions: (namespace?: string) => `/api/create/options${namespace ? `?namespace=${segment(namespace)}` : ''}`,
  createVm: '/api/vms/create',
  migrationNodes: '/api/migrations/nodes',
  migrationProgress: (namespace: string, name: string) => `/api/migrations/progress?${new URLSearchParams({ namespace, name }).toString()}`,
  vmEdit: (namespace: string, name: string) => `/api/vms/${segment(namespace)}/${segment(name)}/edit`,
} as const;
