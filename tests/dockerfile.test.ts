// The image cannot be built here (no container engine), so its recipe is checked against what is known to run: the
// runtime stage must hold every file server.ts loads, production dependencies only, and run as a non-root user.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copiesOf, parseDockerfile, repoRoot, runtimeLayout } from './support/dockerfile';

const stages = parseDockerfile();
const byName = new Map(stages.map((s) => [s.name, s]));
const runtime = stages.at(-1)!;
const layout = runtimeLayout(stages);

// The repository files server.ts reaches through static and dynamic imports (relative and `@/` specifiers; packages
// come from node_modules).
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(repoRoot, entry)];
  const specifiers = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  const candidates = (base: string) => [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(specifiers)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      let base: string | undefined;
      if (spec.startsWith('.')) base = resolve(dirname(file), spec);
      else if (spec.startsWith('@/')) base = resolve(repoRoot, spec.slice(2));
      if (!base) continue;
      const found = candidates(base).find((c) => existsSync(c) && statSync(c).isFile());
      if (!found) throw new Error(`${relative(repoRoot, file)} imports ${spec}, which does not resolve`);
      if (/\.tsx?$/.test(found)) pending.push(found);
      else seen.add(found);
    }
  }
  return seen;
}

const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const ignored = (path: string) =>
  dockerignore.some((p) => (p.startsWith('**/') ? path.endsWith(p.slice(3).replace('*', '')) : path === p || path.startsWith(`${p}/`)));

describe('deploy/Dockerfile', () => {
  it('has a deps, a prod-deps, a build and a final runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['deps', 'prod-deps', 'build', 'runtime']);
    expect(new Set(stages.map((s) => s.base)).size).toBe(1);
  });

  it('builds with every dependency but ships only the production ones', () => {
    const runs = (name: string) => byName.get(name)!.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    expect(runs('deps')).toMatch(/npm ci(?! .*--omit)/);
    expect(runs('prod-deps')).toMatch(/npm ci --omit=dev/);
    expect(runs('build')).toMatch(/npm run build/);
    expect(copiesOf(byName.get('build')!).find((c) => c.sources.includes('/app/node_modules'))?.from).toBe('deps');
    // node_modules of the runtime comes from the production install, and nothing else is taken from another stage.
    expect(layout.other).toEqual([{ from: 'prod-deps', sources: ['/app/node_modules'], dest: './node_modules' }]);
    expect(layout.fromBuild).not.toContain('node_modules');
  });

  it('holds every file server.ts loads, the build output and the package manifests', () => {
    const shipped = (file: string) => layout.fromBuild.some((p) => file === p || file.startsWith(`${p}/`));
    const loaded = [...importGraph('server.ts')].map((f) => relative(repoRoot, f));
    expect(loaded.length).toBeGreaterThan(20);
    expect(loaded.filter((f) => !shipped(f))).toEqual([]);
    for (const f of ['.next', 'package.json', 'package-lock.json', 'next.config.ts', 'tsconfig.json']) expect(layout.fromBuild).toContain(f);
  });

  it('copies only paths the build context has (not excluded by .dockerignore)', () => {
    for (const p of layout.fromBuild.filter((p) => p !== '.next')) {
      expect(existsSync(join(repoRoot, p)), p).toBe(true);
      expect(ignored(p), p).toBe(false);
    }
    expect(ignored('node_modules') && ignored('.next') && ignored('.sandbox') && ignored('lib/k8s/client.test.ts')).toBe(true);
  });

  it('runs as a numeric non-root user, without telemetry, with node itself as the process', () => {
    const user = runtime.instructions.filter((i) => i.op === 'USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    const env = runtime.instructions.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/NEXT_TELEMETRY_DISABLED=1/);
    expect(env).toMatch(/NODE_ENV=production/);
    expect(runtime.instructions.find((i) => i.op === 'CMD')?.args).toBe('["node", "--import", "tsx", "server.ts"]');
  });
});
