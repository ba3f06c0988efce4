// Issue 2, acceptance 1 and 6, and issue 3, acceptance 6: a warm `up` after `down` reuses the build and is quick;
// `down` leaves no process of the sandbox running, QEMU included.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { components } from '../launcher/components.ts';
import { listRecords, isAlive } from '../launcher/procs.ts';
import { repoRoot } from '../launcher/paths.ts';
import { docExampleVm, kubectlOk, qemuPids, uniqueName, waitForPrintableStatus } from './helpers.ts';

const npm = (script: string) => execFileSync('npm', ['run', '-s', script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
/** Running: the pid exists and is not a zombie waiting for init to reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

async function downAndCheck() {
  const before = listRecords().filter(isAlive);
  expect(before.map((r) => r.name).sort()).toEqual(components.map((c) => c.name).sort());
  const guests = qemuPids();
  npm('sandbox:down');
  for (const r of before) expect(alive(r.pid), `${r.name} (pid ${r.pid})`).toBe(false);
  for (const pid of guests) expect(alive(pid), `qemu pid ${pid}`).toBe(false);
  expect(qemuPids()).toEqual([]);
  expect(listRecords()).toEqual([]);
}

describe('sandbox lifecycle', () => {
  it('up is idempotent, down stops every process and every guest, a warm up takes under 60 s', async () => {
    npm('sandbox:up');
    const pids = listRecords().map((r) => r.pid).sort();
    npm('sandbox:up'); // again, while up: nothing restarts
    expect(listRecords().map((r) => r.pid).sort()).toEqual(pids);

    const vm = uniqueName('survivor');
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(vm, 'team-a')) });
    await waitForPrintableStatus('team-a', vm, 'Running', 30_000);
    expect(qemuPids(`team-a_${vm}`)).toHaveLength(1);

    await downAndCheck();
    const t0 = Date.now();
    npm('sandbox:up');
    const warmSeconds = (Date.now() - t0) / 1000;
    console.log(`warm sandbox:up took ${warmSeconds.toFixed(1)} s`);
    expect(warmSeconds).toBeLessThan(60);
    // The VM's guest did not survive the stop; its run strategy brings it back.
    await waitForPrintableStatus('team-a', vm, 'Running', 60_000);
    await kubectlOk(['delete', 'vm', vm, '-n', 'team-a', '--timeout=60s']);
    await downAndCheck();
  });
});
