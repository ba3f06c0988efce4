// The walls of shared/DESIGN.md, checked on every import in the tree: components never reach the API server's
// door (lib/k8s), the portal never imports the sandbox, the sandbox never imports the portal's UI or routes, and only
// lib/k8s imports the Kubernetes client library; the browser's data layer (lib/live) and lib/k8s meet only in the
// neutral lib/shared, which imports nothing else of the portal. A crossing fails this test with the file and the
// import. Browser code ('use client') never reaches server code, even through other modules: a module marked
// 'server-only', lib/settings (server.ts imports it outside Next, so it cannot carry the marker) or a node: builtin.
// server.ts itself never reaches a module marked 'server-only', which throws outside Next's bundler.
// And only lib/settings reads the environment, so every setting is checked at start and documented in one place.
// The sandbox may share a portal module only when it is pure and imports nothing: it then loads the same under tsx
// (no `@/` alias there) as under Next, and cannot drag 'server-only' or the portal's session code along.
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
/** Portal modules the sandbox imports too (as resolved import targets, without the extension). */
export const sharedWithSandbox = new Set(['lib/kubevirt/quantity', 'lib/kubevirt/memory-overhead']);

export const walls: Wall[] = [
  { name: 'components never import lib/k8s', from: under('components'), forbidden: under('lib/k8s') },
  { name: 'the portal never imports the sandbox', from: portal, forbidden: under('sandbox') },
  { name: 'the sandbox never imports app or components', from: under('sandbox'), forbidden: (t) => under('app')(t) || under('components')(t) },
  { name: 'the sandbox imports from lib only the modules shared with it', from: under('sandbox'), forbidden: (t) => under('lib')(t) && !sharedWithSandbox.has(t) },
  { name: 'a module shared with the sandbox imports nothing', from: (p) => sharedWithSandbox.has(p.replace(/\.(ts|tsx)$/, '')), forbidden: () => true },
  { name: 'only lib/k8s imports @kubernetes/client-node', from: (p) => !under('lib/k8s')(p) && !under('tests')(p), forbidden: (t) => t === '@kubernetes/client-node' || t.startsWith('@kubernetes/client-node/') },
  { name: 'lib/live never imports lib/k8s', from: under('lib/live'), forbidden: under('lib/k8s') },
  { name: 'lib/shared imports no other part of the portal', from: under('lib/shared'), forbidden: (t) => portal(t) && !under('lib/shared')(t) },
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

// Type-only imports are erased before any bundler sees them, so they carry no code into the browser.
function typeOnly(statement: string): boolean {
  const s = statement.trim().replace(/^;\s*/, '');
  if (/^(import|export)\s+type[\s{]/.test(s)) return true;
  const named = /^(?:import|export)\s*\{([^}]*)\}\s*from/.exec(s);
  const names = named?.[1]?.split(',').map((n) => n.trim()).filter(Boolean);
  return Boolean(names?.length && names.every((n) => n.startsWith('type ')));
}

export interface ModuleFacts {
  path: string;
  client: boolean; // starts with 'use client'
  serverOnly: boolean; // imports 'server-only'
  valueImports: string[]; // as importsOf, without type-only imports
}

export function factsOf(path: string, text: string): ModuleFacts {
  // Whole-line comments go first: they may well talk about importing 'server-only'.
  const code = text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const valueImports: string[] = [];
  for (const m of code.matchAll(specifier)) if (!typeOnly(m[0])) valueImports.push(...importsOf(path, m[0]));
  return { path, client: /^\s*(['"])use client\1/.test(code), serverOnly: importsOf(path, code).includes('server-only'), valueImports };
}

const moduleKey = (p: string) => p.replace(/\.(ts|tsx)$/, '');
const serverCode = (m: ModuleFacts | undefined, target: string) =>
  m?.serverOnly ? "'server-only'" : under('lib/settings')(target) ? 'lib/settings' : target.startsWith('node:') ? 'a node: builtin' : undefined;

/** Each start module that reaches a forbidden one through value imports, with the chain. Pure. */
function reaching(starts: ModuleFacts[], modules: ModuleFacts[], forbidden: (m: ModuleFacts | undefined, target: string) => string | undefined): string[] {
  const byKey = new Map(modules.map((m) => [moduleKey(m.path), m]));
  const find = (target: string) => byKey.get(target) ?? byKey.get(`${target}/index`);
  const out: string[] = [];
  for (const start of starts) {
    const via = new Map<string, string[]>([[moduleKey(start.path), []]]);
    const queue = [start];
    while (queue.length) {
      const m = queue.shift()!;
      const chain = via.get(moduleKey(m.path))!;
      for (const target of m.valueImports) {
        const next = find(target);
        const key = next ? moduleKey(next.path) : target;
        if (via.has(key)) continue;
        via.set(key, [...chain, key]);
        const what = forbidden(next, key);
        if (what) out.push(`${start.path}: ${[...chain, key].join(' -> ')} (${what})`);
        else if (next) queue.push(next);
      }
    }
  }
  return out;
}

/**
 * The modules server.ts loads, through value imports. They cannot carry the marker (it throws outside Next's
 * bundler), so those in the server's own folders count as server code for browser code all the same.
 */
export function serverEntryModules(modules: ModuleFacts[]): Set<string> {
  const byKey = new Map(modules.map((m) => [moduleKey(m.path), m]));
  const find = (target: string) => byKey.get(target) ?? byKey.get(`${target}/index`);
  const seen = new Set<string>();
  const queue = modules.filter((m) => m.path === 'server.ts');
  while (queue.length) {
    const m = queue.shift()!;
    for (const target of m.valueImports) {
      const next = find(target);
      if (!next || seen.has(moduleKey(next.path))) continue;
      seen.add(moduleKey(next.path));
      queue.push(next);
    }
  }
  return seen;
}

const SERVER_FOLDERS = ['lib/auth', 'lib/k8s', 'lib/ws', 'lib/server'].map(under);

/** Browser modules ('use client') that reach server code. */
export const clientLeaks = (modules: ModuleFacts[]) => {
  const entry = serverEntryModules(modules);
  const loadedByServer = (m: ModuleFacts | undefined) =>
    m && entry.has(moduleKey(m.path)) && SERVER_FOLDERS.some((inFolder) => inFolder(moduleKey(m.path))) ? 'a server module server.ts loads' : undefined;
  return reaching(modules.filter((m) => m.client), modules, (m, target) => serverCode(m, target) ?? loadedByServer(m));
};

/** server.ts runs outside Next's bundler, where importing 'server-only' throws: it must reach no marked module. */
export const serverEntryLeaks = (modules: ModuleFacts[]) =>
  reaching(modules.filter((m) => m.path === 'server.ts'), modules, (m) => (m?.serverOnly ? "'server-only'" : undefined));

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
      { path: 'sandbox/simulator/v.ts', imports: importsOf('sandbox/simulator/v.ts', "import { userFrom } from '../../lib/auth/session.ts';") },
      { path: 'lib/kubevirt/quantity.ts', imports: importsOf('lib/kubevirt/quantity.ts', "import 'server-only';") },
      { path: 'lib/live/v.ts', imports: importsOf('lib/live/v.ts', "import type { PortalErrorBody } from '../k8s/errors';") },
      { path: 'lib/shared/u.ts', imports: importsOf('lib/shared/u.ts', "import { settings } from '../settings';") },
    ];
    expect(crossings(bad)).toEqual([
      'components/vms/X.tsx: lib/k8s/client (components never import lib/k8s)',
      'lib/kubevirt/y.ts: sandbox/launcher/paths (the portal never imports the sandbox)',
      'sandbox/simulator/z.ts: components/vms/VmTable (the sandbox never imports app or components)',
      'app/api/w/route.ts: @kubernetes/client-node (only lib/k8s imports @kubernetes/client-node)',
      'sandbox/simulator/v.ts: lib/auth/session (the sandbox imports from lib only the modules shared with it)',
      'lib/kubevirt/quantity.ts: server-only (a module shared with the sandbox imports nothing)',
      'lib/live/v.ts: lib/k8s/errors (lib/live never imports lib/k8s)',
      'lib/shared/u.ts: lib/settings (lib/shared imports no other part of the portal)',
    ]);
    expect(crossings([{ path: 'sandbox/simulator/kube/quantity.ts', imports: importsOf('sandbox/simulator/kube/quantity.ts', "import { parseQuantity } from '../../../lib/kubevirt/quantity.ts';") }])).toEqual([]);
    expect(crossings([{ path: 'lib/k8s/client.ts', imports: ['@kubernetes/client-node', 'lib/k8s/identity'] }])).toEqual([]);
  });

  it('catch browser code that reaches server code, directly or through other modules', () => {
    const mods = [
      factsOf('components/a/View.tsx', "'use client';\nimport { useX } from './use-x';\nimport type { Y } from '@/lib/k8s/types';"),
      factsOf('components/a/use-x.ts', "import { settings } from '@/lib/settings';\nimport { helper } from '@/lib/b/helper';"),
      factsOf('lib/b/helper.ts', "import 'server-only';\nimport { readFileSync } from 'node:fs';"),
      factsOf('lib/b/talk.ts', "// server.ts imports this, so it must not import 'server-only'\nexport const x = 1;"),
      factsOf('lib/k8s/types.ts', "import 'server-only';"),
      factsOf('lib/settings/index.ts', "import { z } from 'zod';"),
      factsOf('components/a/Fine.tsx', "// a comment first\n'use client';\nimport { type T, type U } from '@/lib/b/helper';\nexport type { V } from '@/lib/b/helper';"),
      factsOf('components/a/Raw.tsx', '"use client";\nimport { readFile } from \'node:fs/promises\';'),
    ];
    expect(clientLeaks(mods)).toEqual([
      "components/a/View.tsx: components/a/use-x -> lib/settings/index (lib/settings)",
      "components/a/View.tsx: components/a/use-x -> lib/b/helper ('server-only')",
      'components/a/Raw.tsx: node:fs/promises (a node: builtin)',
    ]);
    expect(serverEntryLeaks([factsOf('server.ts', "import { x } from './lib/b/helper.ts';\nimport { y } from './lib/b/talk.ts';"), ...mods])).toEqual(["server.ts: lib/b/helper ('server-only')"]);
    // What server.ts loads cannot be marked; in the server's folders it is server code to the browser all the same.
    const entry = [
      factsOf('server.ts', "import { p } from './lib/ws/index.ts';"),
      factsOf('lib/ws/index.ts', "import { s } from '../auth/session-check';\nimport { n } from '../shared/names';"),
      factsOf('lib/auth/session-check.ts', "import { z } from 'zod';"),
      factsOf('lib/shared/names.ts', "import { z } from 'zod';"),
      factsOf('components/c/Console.tsx', "'use client';\nimport { s } from '@/lib/auth/session-check';\nimport { n } from '@/lib/shared/names';"),
    ];
    expect(clientLeaks(entry)).toEqual(['components/c/Console.tsx: lib/auth/session-check (a server module server.ts loads)']);
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
    const modules = [...sources('app'), ...sources('components'), ...sources('lib'), 'server.ts'].map((path) => factsOf(path, readFileSync(join(root, path), 'utf8')));
    expect(modules.filter((m) => m.client).length).toBeGreaterThan(10);
    expect(clientLeaks(modules)).toEqual([]);
    expect(serverEntryLeaks(modules)).toEqual([]);
  });
});
