// Benchmark: the sandbox's warm start (down, then up with everything built) and the control plane's resident
// memory at rest, against etcd alone as the baseline measured in the same run.
// Run: npx tsx bench/sandbox-startup.ts  (leaves the sandbox up)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot } from '../sandbox/launcher/paths.ts';
import { listRecords } from '../sandbox/launcher/procs.ts';

const npm = (s: string) => execFileSync('npm', ['run', '-s', s], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

npm('sandbox:down');
const t0 = performance.now();
npm('sandbox:up');
const upSeconds = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 30_000)); // at rest
const rss = Object.fromEntries(listRecords().map((r) => [r.name, rssMiB(r.pid)]));
const controlPlane = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const total = controlPlane.reduce((a, n) => a + (rss[n] ?? 0), 0);
console.log(`warm sandbox:up (after down): ${upSeconds.toFixed(1)} s`);
for (const [name, mib] of Object.entries(rss)) console.log(`  RSS ${name.padEnd(24)} ${mib.toFixed(0)} MiB`);
console.log(`control plane RSS at rest: ${total.toFixed(0)} MiB (${(total / rss.etcd!).toFixed(1)}x etcd alone)`);
