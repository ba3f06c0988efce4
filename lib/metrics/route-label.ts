// The `route` label of the request metrics: the pattern of the page or route handler a path belongs to
// (`/vms/[namespace]/[name]`), never the path itself, so the label has as many values as the portal has routes
// however many VMs and namespaces there are. Pure. The list mirrors app/ by hand (a production image holds no app/
// folder to read); route-label.test.ts walks app/ and fails when a page or route.ts is missing here, or an entry
// here has no file.

export const ROUTE_PATTERNS: readonly string[] = [
  // pages
  '/',
  '/admin',
  '/admin/cluster',
  '/admin/networks',
  '/admin/projects',
  '/admin/projects/new',
  '/admin/projects/[namespace]',
  '/migrations',
  '/namespaces/[namespace]',
  '/signin',
  '/vms',
  '/vms/create',
  '/vms/create/yaml',
  '/vms/[namespace]/[name]',
  '/vms/[namespace]/[name]/console',
  '/vms/[namespace]/[name]/vnc',
  // route handlers
  '/api/access',
  '/api/admin/access',
  '/api/admin/cluster',
  '/api/admin/networks',
  '/api/admin/networks/[namespace]/[name]',
  '/api/admin/projects',
  '/api/admin/projects/[namespace]',
  '/api/auth/[...nextauth]',
  '/api/consoles/[namespace]/[name]/[kind]',
  '/api/create/options',
  '/api/list',
  '/api/migrations/nodes',
  '/api/migrations/progress',
  '/api/namespaces',
  '/api/session/logout-url',
  '/api/stream',
  '/api/stream/subscriptions',
  '/api/vms/create',
  '/api/vms/[namespace]/[name]/actions/[action]',
  '/api/vms/[namespace]/[name]/clones',
  '/api/vms/[namespace]/[name]/disks',
  '/api/vms/[namespace]/[name]/disks/[disk]',
  '/api/vms/[namespace]/[name]/edit',
  '/api/vms/[namespace]/[name]/interfaces',
  '/api/vms/[namespace]/[name]/interfaces/[interface]',
  '/api/vms/[namespace]/[name]/restores',
  '/api/vms/[namespace]/[name]/snapshots',
  '/api/vms/[namespace]/[name]/snapshots/[snapshot]',
];

// Answered by server.ts itself, before Next.
export const SERVER_ROUTES: readonly string[] = ['/healthz', '/readyz', '/metrics'];

/** Next's own files (scripts, styles, fonts, images, development's hot reload): one label for all of them. */
export const STATIC_ROUTE = 'static';
/** The identity provider's pages that server.ts serves from the portal's origin (OIDC_BROWSER_PROXY). */
export const IDP_ROUTE = 'idp';
/** Any path that is none of the above (what Next answers 404 for). */
export const OTHER_ROUTE = 'other';

type Segment = { kind: 'static'; text: string } | { kind: 'one' } | { kind: 'rest'; optional: boolean };

interface Compiled {
  pattern: string;
  segments: Segment[];
}

function compile(pattern: string): Compiled {
  const segments = pattern
    .split('/')
    .filter(Boolean)
    .map((s): Segment => {
      if (s.startsWith('[[...')) return { kind: 'rest', optional: true };
      if (s.startsWith('[...')) return { kind: 'rest', optional: false };
      if (s.startsWith('[')) return { kind: 'one' };
      return { kind: 'static', text: s };
    });
  return { pattern, segments };
}

function matches(c: Compiled, parts: readonly string[]): boolean {
  for (let i = 0; i < c.segments.length; i++) {
    const seg = c.segments[i]!;
    if (seg.kind === 'rest') return seg.optional || parts.length > i;
    const part = parts[i];
    if (part === undefined) return false;
    if (seg.kind === 'static' && seg.text !== part) return false;
  }
  return parts.length === c.segments.length;
}

// As Next decides between routes that both match: a static segment before a dynamic one before a catch-all, from
// the left (`/admin/projects/new` is the new-project page, not a project named "new").
const rank = { static: 0, one: 1, rest: 2 } as const;
function bySpecificity(a: Compiled, b: Compiled): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return x ? -1 : 1;
    const d = rank[x.kind] - rank[y.kind];
    if (d) return d;
  }
  return 0;
}

const compiled = [...ROUTE_PATTERNS, ...SERVER_ROUTES].map(compile).sort(bySpecificity);

/** The route label of a request path (query string allowed). */
export function routeLabel(path: string): string {
  const pathname = path.split(/[?#]/, 1)[0] ?? '';
  if (pathname === '/_next' || pathname.startsWith('/_next/')) return STATIC_ROUTE;
  const parts = pathname.split('/').filter(Boolean);
  for (const c of compiled) if (matches(c, parts)) return c.pattern;
  return OTHER_ROUTE;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The `method` label: the HTTP methods the portal knows; anything a client invents is one label. */
export function methodLabel(method: string | undefined): string {
  return method && METHODS.has(method) ? method : OTHER_ROUTE;
}
