// Benchmark: how long a VM takes from `create` to Running and to its first serial output, against a baseline of
// the same guest started as a bare QEMU process in the same run; and how many idle VMs this machine holds.
// Run with the sandbox up: npx tsx bench/vm-boot.ts [runs=10] [maxIdle=30]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { paths } from '../sandbox/launcher/paths.ts';
import { guestImageFor } from '../sandbox/simulator/handler/guest-images.ts';
import { docExampleVm, getJson, kubectl, kubectlOk, qemuPids, waitForPrintableStatus } from '../sandbox/test/helpers.ts';

const runs = Number(process.argv[2] ?? 10);
const maxIdle = Number(process.argv[3] ?? 30);
const ns = 'bench-vms';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(everyMs);
  }
  throw new Error('timeout');
}

/** Baseline: the same kernel and initrd in a bare QEMU, until the first byte on its serial port. */
async function bareQemuFirstOutput(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-qemu-'));
  const img = guestImageFor('');
  const log = join(dir, 'serial.log');
  const t0 = performance.now();
  const p = spawn('qemu-system-x86_64', [
    '-machine', 'q35,accel=tcg', '-cpu', 'max', '-smp', '1', '-m', '160', '-nodefaults', '-display', 'none', '-vga', 'std',
    '-kernel', img.kernel, '-initrd', img.initrd, '-append', 'console=tty0 console=ttyS0 quiet panic=-1',
    '-chardev', `socket,id=s,path=${join(dir, 's.sock')},server=on,wait=off,logfile=${log}`, '-serial', 'chardev:s',
  ]);
  const ms = await until(() => (existsSync(log) && statSync(log).size > 0 ? performance.now() - t0 : undefined), 60_000);
  p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function sandboxVm(i: number): Promise<{ running: number; firstOutput: number }> {
  const name = `boot-${i}`;
  const t0 = performance.now();
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(name, ns)) });
  let running = 0;
  const firstOutput = await until(async () => {
    if (!running) {
      const vm = await getJson(['vm', name, '-n', ns]);
      if (vm?.status?.printableStatus === 'Running') running = performance.now() - t0;
    }
    const pod = (await getJson(['pods', '-n', ns, '-l', `vm.kubevirt.io/name=${name}`]))?.items?.[0];
    const log = pod && join(paths.vms, pod.metadata.uid, 'serial.log');
    return log && existsSync(log) && statSync(log).size > 0 ? performance.now() - t0 : undefined;
  }, 60_000, 50);
  if (!running) running = (await waitForPrintableStatus(ns, name, 'Running'), performance.now() - t0);
  await kubectlOk(['delete', 'vm', name, '-n', ns, '--timeout=90s']);
  return { running, firstOutput };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function main() {
  await kubectl(['create', 'namespace', ns]);
  const base: number[] = [];
  const running: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(await bareQemuFirstOutput());
    const r = await sandboxVm(i);
    running.push(r.running);
    first.push(r.firstOutput);
  }
  const mb = median(base), mr = median(running), mf = median(first);
  console.log(`runs: ${runs}`);
  console.log(`bare QEMU start -> first serial output (baseline): median ${(mb / 1000).toFixed(2)} s`);
  console.log(`VM create -> printableStatus Running:              median ${(mr / 1000).toFixed(2)} s`);
  console.log(`VM create -> first serial output:                  median ${(mf / 1000).toFixed(2)} s  (${(mf / mb).toFixed(2)}x baseline)`);

  // Idle VMs: start them a few at a time until maxIdle run or memory runs low; measure once they are all up.
  const memAvailableMiB = () => Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
  const before = memAvailableMiB();
  let n = 0;
  while (n < maxIdle && memAvailableMiB() > 3072) {
    const batch = Math.min(5, maxIdle - n);
    for (let j = 0; j < batch; j++) await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(`idle-${n + j}`, ns)) });
    n += batch;
    for (let j = n - batch; j < n; j++) await waitForPrintableStatus(ns, `idle-${j}`, 'Running', 120_000);
  }
  await sleep(20_000); // let the guests finish booting and settle
  const pids = qemuPids(`${ns}_idle-`);
  const rss = pids.map(rssMiB);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`idle VMs running at once: ${pids.length} (stopped at ${maxIdle} or 3 GiB available)`);
  console.log(`QEMU RSS per idle VM: median ${median(rss).toFixed(0)} MiB, total ${rss.reduce((a, b) => a + b, 0).toFixed(0)} MiB; MemAvailable fell by ${(before - memAvailableMiB()).toFixed(0)} MiB; load average ${load}`);
  await kubectl(['delete', 'namespace', ns, '--timeout=300s']);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
