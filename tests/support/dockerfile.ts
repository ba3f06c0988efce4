// Reads deploy/Dockerfile's stages, so tests can hold the image to what the packaging test proves runs: the runtime
// stage's file layout is the one tests/production-install.test.ts starts the portal from.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
const dockerfilePath = join(repoRoot, 'deploy/Dockerfile');

export interface Instruction {
  op: string; // upper case: FROM, RUN, COPY, ...
  args: string; // the rest, continuation lines joined
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string = readFileSync(dockerfilePath, 'utf8')): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\S+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, ' ').trim();
    if (op === 'FROM') {
      const f = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ name: f?.[2] ?? String(stages.length), base: f?.[1] ?? args, instructions: [] });
    } else if (stages.length) stages.at(-1)!.instructions.push({ op, args });
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.op === 'COPY')
    .map((i) => {
      const words = i.args.split(' ');
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
    });
}

const WORKDIR = '/app/';

/**
 * What the runtime stage takes from the build stage, as paths in the repository (the build stage copies the whole
 * context into /app), and what it takes from elsewhere.
 */
export function runtimeLayout(stages: Stage[] = parseDockerfile()): { fromBuild: string[]; other: Copy[] } {
  const runtime = stages.at(-1)!;
  const fromBuild: string[] = [];
  const other: Copy[] = [];
  for (const c of copiesOf(runtime)) {
    if (c.from === 'build') for (const s of c.sources) fromBuild.push(s.startsWith(WORKDIR) ? s.slice(WORKDIR.length) : s);
    else other.push(c);
  }
  return { fromBuild, other };
}
