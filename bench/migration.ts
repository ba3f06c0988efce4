// Benchmark: live migration of a running VM between the sandbox's nodes, 10 times: wall time from the migrate
// call to Succeeded, and QEMU's own total time and downtime (from the simulator's log). Baseline, measured in the
// same run: the same guest migrated between two bare QEMU processes (no Kubernetes around it).
// Run with the sandbox up: npx tsx bench/migration.ts [runs=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { paths } from '../sandbox/launcher/paths.ts';
import { guestImageFor } from '../sandbox/simulator/handler/guest-images.ts';
import { Qmp } from '../sandbox/simulator/handler/qmp.ts';
import { api, subresource } from '../sandbox/test/api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, waitForPrintableStatus } from '../sandbox/test/helpers.ts';

const runs = Number(process.argv[2] ?? 10);
const ns = 'team-a';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bareMigration(): Promise<{ wall: number; downtime: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mig-'));
  const img = guestImageFor('');
  const args = (id: string, extra: string[]) => [
    '-machine', 'q35,accel=tcg', '-cpu', 'max', '-smp', '1', '-m', '160', '-nodefaults', '-display', 'none', '-vga', 'std',
    '-kernel', img.kernel, '-initrd', img.initrd, '-append', 'console=tty0 console=ttyS0 quiet panic=-1',
    '-qmp', `unix:${join(dir, id + '.qmp')},server=on,wait=off`, ...extra,
  ];
  const src = spawn('qemu-system-x86_64', args('src', []));
  const dst = spawn('qemu-system-x86_64', args('dst', ['-incoming', `unix:${join(dir, 'mig.sock')}`]));
  await sleep(8000); // boot the source guest
  const qmp = new Qmp(join(dir, 'src.qmp'));
  const t0 = performance.now();
  await qmp.execute('migrate', { uri: `unix:${join(dir, 'mig.sock')}` });
  let info: { status: string; downtime?: number };
  do {
    await sleep(20);
    info = await qmp.execute('query-migrate');
  } while (!['completed', 'failed'].includes(info.status));
  const wall = performance.now() - t0;
  qmp.close();
  src.kill('SIGKILL');
  dst.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  return { wall, downtime: info.downtime ?? NaN };
}

function completions(): { migration: string; totalTimeMs: number; downtimeMs: number }[] {
  return readFileSync(join(paths.logs, 'simulator.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"migration completed"'))
    .map((l) => JSON.parse(l));
}

async function main() {
  const name = 'bench-migrate';
  await kubectl(['delete', 'vm', name, '-n', ns, '--wait=true']);
  await kubectl(['delete', 'vmim', '-n', ns, '-l', `kubevirt.io/vmi-name=${name}`, '--wait=true']);
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(name, ns)) });
  await waitForPrintableStatus(ns, name, 'Running', 30_000);
  await sleep(8000); // let the guest boot
  const wall: number[] = [], total: number[] = [], down: number[] = [], baseWall: number[] = [], baseDown: number[] = [];
  for (let i = 0; i < runs; i++) {
    const b = await bareMigration();
    baseWall.push(b.wall);
    baseDown.push(b.downtime);
    const t0 = performance.now();
    const r = await api('PUT', subresource(ns, 'virtualmachines', name, 'migrate'));
    if (r.status !== 202) throw new Error(`migrate: ${r.status} ${r.text}`);
    const mig = await eventually('migration', async () => {
      const items = (await getJson(['vmim', '-n', ns, '-l', `kubevirt.io/vmi-name=${name}`]))?.items ?? [];
      return items.find((m: any) => !m.metadata.deletionTimestamp && ['Succeeded', 'Failed'].includes(m.status?.phase) && !seen.has(m.metadata.name));
    }, 120_000, 50);
    seen.add(mig.metadata.name);
    if (mig.status.phase !== 'Succeeded') throw new Error(`migration ${mig.metadata.name} failed`);
    wall.push(performance.now() - t0);
    const c = completions().find((x) => x.migration === mig.metadata.name)!;
    total.push(c.totalTimeMs);
    down.push(c.downtimeMs);
  }
  await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
  console.log(`runs: ${runs}`);
  console.log(`bare QEMU-to-QEMU migration (baseline): wall median ${median(baseWall).toFixed(0)} ms, downtime median ${median(baseDown)} ms`);
  console.log(`sandbox VM migration, migrate call -> Succeeded: median ${median(wall).toFixed(0)} ms (${(median(wall) / median(baseWall)).toFixed(2)}x baseline)`);
  console.log(`  QEMU total time median ${median(total)} ms, downtime median ${median(down)} ms`);
}
const seen = new Set<string>();

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
