// The walls of shared/DESIGN.md, checked on every import in the tree: components never reach the API server's
// door (lib/k8s), the portal never imports the sandbox, the sandbox never imports the portal's UI or routes, and only
// lib/k8s imports the Kubernetes client library. A crossing fails this test with the file and the import. And only
// lib/settings reads the environment, so every setting is checked at start and documented in one place.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

export interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  path: string;
  /** Import specifiers resolved to repository paths (`lib/k8s/client`) or left as package names. */
  imports: string[];
}

interface Wall {
  name: string;
  from: (path: string) => boolean;
  forbidden: (target: string) => boolean;
}

const under = (dir: string) => (p: string) => p === dir || p.startsWith(`${dir}/`);
const portal = (p: string) => under('app')(p) || under('lib')(p) || under('components')(p) || p === 'server.ts';

export const walls: Wall[] = [
  { name: 'components never import lib/k8s', from: under('components'), forbidden: under('lib/k8s') },
  { name: 'the portal never imports the sandbox', from: portal, forbidden: under('sandbox') },
  { name: 'the sandbox never imports app or components', from: under('sandbox'), forbidden: (t) => under('app')(t) || under('components')(t) },
  { name: 'only lib/k8s imports @kubernetes/client-node', from: (p) => !under('lib/k8s')(p) && !under('tests')(p), forbidden: (t) => t === '@kubernetes/client-node' || t.startsWith('@kubernetes/client-node/') },
];

/** Every import that crosses a wall, as "file: import (wall)". Pure. */
export function crossings(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const w of walls) {
      if (!w.from(f.path)) continue;
      for (const t of f.imports) if (w.forbidden(t)) out.push(`${f.path}: ${t} (${w.name})`);
    }
  }
  return out;
}

const specifier = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The import specifiers of a module's text, resolved against its path (the `@/` alias is the repository root). */
export function importsOf(path: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(specifier)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    let target: string;
    if (spec.startsWith('@/')) target = spec.slice(2);
    else if (spec.startsWith('.')) target = relative(root, resolve(root, dirname(path), spec));
    else target = spec;
    found.push(target.split('\\').join('/').replace(/\.(ts|tsx|js|mjs)$/, ''));
  }
  return found;
}

function sources(dir: string): string[] {
  const abs = join(root, dir);
  if (!statSync(abs, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.split('/').includes('node_modules'))
    .map((f) => `${dir}/${f}`.split('\\').join('/'));
}

describe('the walls between the parts', () => {
  it('catch a crossing import of each kind', () => {
    const bad: SourceFile[] = [
      { path: 'components/vms/X.tsx', imports: importsOf('components/vms/X.tsx', "import { clientFor } from '@/lib/k8s/client';") },
      { path: 'lib/kubevirt/y.ts', imports: importsOf('lib/kubevirt/y.ts', "import { paths } from '../../sandbox/launcher/paths.ts';") },
      { path: 'sandbox/simulator/z.ts', imports: importsOf('sandbox/simulator/z.ts', "export { VmTable } from '../../components/vms/VmTable';") },
      { path: 'app/api/w/route.ts', imports: importsOf('app/api/w/route.ts', "const k = await import('@kubernetes/client-node');") },
    ];
    expect(crossings(bad)).toEqual([
      'components/vms/X.tsx: lib/k8s/client (components never import lib/k8s)',
      'lib/kubevirt/y.ts: sandbox/launcher/paths (the portal never imports the sandbox)',
      'sandbox/simulator/z.ts: components/vms/VmTable (the sandbox never imports app or components)',
      'app/api/w/route.ts: @kubernetes/client-node (only lib/k8s imports @kubernetes/client-node)',
    ]);
    expect(crossings([{ path: 'lib/k8s/client.ts', imports: ['@kubernetes/client-node', 'lib/k8s/identity'] }])).toEqual([]);
  });

  it('leave reading the environment to lib/settings', () => {
    const readers = [...sources('app'), ...sources('components'), ...sources('lib'), 'server.ts']
      .filter((p) => !under('lib/settings')(p) && !/\.test\.tsx?$/.test(p) && p !== 'lib/api/test-requests.ts')
      .filter((p) => /\bprocess\.env\b/.test(readFileSync(join(root, p), 'utf8')));
    expect(readers).toEqual([]);
  });

  it('hold in this tree', () => {
    const files = [...sources('app'), ...sources('components'), ...sources('lib'), ...sources('sandbox'), 'server.ts'].map((path) => ({
      path,
      imports: importsOf(path, readFileSync(join(root, path), 'utf8')),
    }));
    expect(files.length).toBeGreaterThan(100);
    expect(crossings(files)).toEqual([]);
  });
});
