import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// The portal's API routes as the file system declares them (app/api/**/route.ts and the HTTP methods each exports),
// so that a route added tomorrow is fuzzed and checked without anyone listing it here.

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiRoute {
  /** The URL path template, e.g. /api/vms/[namespace]/[name]/disks/[disk]. */
  template: string;
  /** The dynamic segments in order, e.g. ['namespace', 'name', 'disk']; a catch-all ([...x]) is marked by catchAll. */
  params: string[];
  catchAll: boolean;
  methods: HttpMethod[];
  /** Whether the handler goes through lib/api/route.ts (session, cross-site check, error shape). */
  wrapped: boolean;
  file: string;
}

/** The methods a route module exports: `export const GET = …` or `export (async) function GET(…)`. */
export function exportedMethods(source: string): HttpMethod[] {
  // `export { handler as GET, handler as POST }` too (next-auth's route).
  const renamed = [...source.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((m) => m[1]!.split(',').map((part) => part.trim().split(/\s+as\s+/).pop()!));
  return HTTP_METHODS.filter((m) => renamed.includes(m) || new RegExp(`^export\\s+(?:const\\s+${m}\\b|(?:async\\s+)?function\\s+${m}\\s*\\()`, 'm').test(source));
}

/** A route file's path under app/ to its URL template and parameters; route groups ((x)) leave the URL. */
export function templateOf(relPath: string): Pick<ApiRoute, 'template' | 'params' | 'catchAll'> {
  const segments = relPath.split(sep).join('/').split('/').slice(0, -1).filter((s) => !/^\(.*\)$/.test(s));
  const params: string[] = [];
  let catchAll = false;
  for (const s of segments) {
    const m = /^\[(\[)?(\.\.\.)?([^\]]+)\]?\]$/.exec(s);
    if (!m) continue;
    if (m[2]) catchAll = true;
    params.push(m[3]!);
  }
  return { template: `/${segments.join('/')}`, params, catchAll };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : e === 'route.ts' ? [p] : [];
  });
}

export function apiRoutes(appDir: string): ApiRoute[] {
  return walk(join(appDir, 'api'))
    .map((file) => {
      const source = readFileSync(file, 'utf8');
      return { ...templateOf(relative(appDir, file)), methods: exportedMethods(source), wrapped: /\bwithUser\(/.test(source), file: relative(appDir, file) };
    })
    .sort((a, b) => a.template.localeCompare(b.template));
}

/** The template with each parameter replaced by its value, taken as already encoded for the URL. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\[(?:\[)?(?:\.\.\.)?([^\]]+)\]?\]/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for [${name}] in ${template}`);
    return v;
  });
}
