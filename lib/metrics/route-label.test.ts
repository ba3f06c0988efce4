import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDP_ROUTE, methodLabel, OTHER_ROUTE, ROUTE_PATTERNS, routeLabel, SERVER_ROUTES, STATIC_ROUTE } from './route-label';

const appDir = resolve(import.meta.dirname, '../../app');

/** The URL pattern of every page and route handler under app/, as Next serves it (route groups and slots dropped). */
function appPatterns(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
        const segments = relative(appDir, dir)
          .split(/[\\/]/)
          .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
        out.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(appDir);
  return out.sort();
}

/** A concrete path for a pattern: each dynamic segment filled with a name-like value, a catch-all with two. */
function pathFor(pattern: string): string {
  return pattern
    .split('/')
    .map((s) => (s.startsWith('[[...') || s.startsWith('[...') ? 'x-1/y-2' : s.startsWith('[') ? `some-${s.slice(1, -1)}` : s))
    .join('/');
}

describe('routeLabel', () => {
  const found = appPatterns();

  it('finds the pages and route handlers of app/', () => {
    // Guards the walk itself: a broken walk would make the checks below pass over nothing.
    expect(found).toContain('/vms/[namespace]/[name]');
    expect(found).toContain('/api/vms/[namespace]/[name]/snapshots');
    expect(found.length).toBeGreaterThan(30);
  });

  it('lists exactly the routes app/ has', () => {
    expect([...ROUTE_PATTERNS].sort()).toEqual(found);
  });

  it('maps a path of every page and route handler to that route’s own pattern', () => {
    for (const pattern of found) expect(routeLabel(pathFor(pattern)), pattern).toBe(pattern);
  });

  it('prefers a static segment to a dynamic one, as Next does', () => {
    expect(routeLabel('/admin/projects/new')).toBe('/admin/projects/new');
    expect(routeLabel('/admin/projects/team-a')).toBe('/admin/projects/[namespace]');
    expect(routeLabel('/vms/create')).toBe('/vms/create');
    expect(routeLabel('/vms/create/yaml')).toBe('/vms/create/yaml');
    expect(routeLabel('/vms/team-a/create')).toBe('/vms/[namespace]/[name]');
    expect(routeLabel('/api/vms/create')).toBe('/api/vms/create');
  });

  it('ignores the query string and a trailing slash, and takes any number of segments into a catch-all', () => {
    expect(routeLabel('/api/list?resource=virtualmachines&namespace=team-a')).toBe('/api/list');
    expect(routeLabel('/vms/')).toBe('/vms');
    expect(routeLabel('/api/auth/session')).toBe('/api/auth/[...nextauth]');
    expect(routeLabel('/api/auth/callback/sandbox?code=abc&state=def')).toBe('/api/auth/[...nextauth]');
  });

  it('labels the server’s own endpoints, Next’s static files, and everything else with one label each', () => {
    for (const r of SERVER_ROUTES) expect(routeLabel(r)).toBe(r);
    expect(routeLabel('/_next/static/chunks/main-abc123.js')).toBe(STATIC_ROUTE);
    expect(routeLabel('/_next/image?url=%2Fx.png')).toBe(STATIC_ROUTE);
    for (const p of ['/nope', '/api/auth', '/api/vms/team-a/vm-1', '/vms/team-a/vm-1/console/extra', '/favicon.ico', '/.env', '/metrics/x', '/api/list/../../etc/passwd']) {
      expect(routeLabel(p), p).toBe(OTHER_ROUTE);
    }
    expect(new Set([STATIC_ROUTE, IDP_ROUTE, OTHER_ROUTE, ...ROUTE_PATTERNS, ...SERVER_ROUTES]).size).toBe(3 + ROUTE_PATTERNS.length + SERVER_ROUTES.length);
  });

  it('never returns a raw path: any path maps into the fixed set of labels', () => {
    const labels = new Set([STATIC_ROUTE, IDP_ROUTE, OTHER_ROUTE, ...ROUTE_PATTERNS, ...SERVER_ROUTES]);
    const paths = ['/', '//', '/vms/a/b/c/d/e', '/%2e%2e/x', '/api/stream?x=1', '/api/vms/team-a/vm-1/snapshots/snap-1?x', '/vms/ns/ünïcödé', '/a'.repeat(500)];
    for (const p of paths) expect(labels.has(routeLabel(p)), p).toBe(true);
  });
});

describe('methodLabel', () => {
  it('keeps the known methods and folds the rest into one label', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('DELETE')).toBe('DELETE');
    expect(methodLabel('BREW')).toBe(OTHER_ROUTE);
    expect(methodLabel('get')).toBe(OTHER_ROUTE);
    expect(methodLabel(undefined)).toBe(OTHER_ROUTE);
  });
});
