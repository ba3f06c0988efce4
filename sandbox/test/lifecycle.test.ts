// Issue 2, acceptance 1 and 6: a warm `up` after `down` reuses the build and is quick; `down` leaves nothing running.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { components } from '../launcher/components.ts';
import { listRecords, isAlive } from '../launcher/procs.ts';
import { repoRoot } from '../launcher/paths.ts';

const npm = (script: string) => execFileSync('npm', ['run', '-s', script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function downAndCheck() {
  const before = listRecords().filter(isAlive);
  expect(before.map((r) => r.name).sort()).toEqual(components.map((c) => c.name).sort());
  npm('sandbox:down');
  for (const r of before) expect(alive(r.pid), `${r.name} (pid ${r.pid})`).toBe(false);
  expect(listRecords()).toEqual([]);
}

describe('sandbox lifecycle', () => {
  it('up is idempotent, down stops every process, a warm up takes under 60 s', async () => {
    npm('sandbox:up');
    const pids = listRecords().map((r) => r.pid).sort();
    npm('sandbox:up'); // again, while up: nothing restarts
    expect(listRecords().map((r) => r.pid).sort()).toEqual(pids);

    await downAndCheck();
    const t0 = Date.now();
    npm('sandbox:up');
    const warmSeconds = (Date.now() - t0) / 1000;
    console.log(`warm sandbox:up took ${warmSeconds.toFixed(1)} s`);
    expect(warmSeconds).toBeLessThan(60);
    await downAndCheck();
  });
});
