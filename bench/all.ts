// The benchmark command: runs the parts below against a production portal of its own (one per part, on
// PORTAL_E2E_PORT or 3000, the port the sandbox's Dex redirects to), prints one table of figures, each beside its
// baseline from the same run where there is one and its budget, and writes it to bench/results/<UTC time>.md and
// .json. A measurement, not a test: it fails only when it cannot measure.
//   npm run bench                         every part, at the sizes
//   npm run bench -- list-page fan-out    some parts
// Parts: list-route, list-page, fan-out, create, console. Knobs (environment), defaults in brackets:
//   LIST_COUNTS [1000,10000]  LIST_ROUNDS [100]                      list-route
//   PAGE_VMS [10000]  PAGE_LOADS [3]  ROWS_PER_FRAME [10]  CHANGES [10]   list-page
//   TABS [1,5,20]  FANOUT_VMS [10]                                   fan-out
//   CREATE_RUNS [3]  CREATE_IMAGE [quay.io/containerdisks/tinylinux:1.0]   create
//   CONSOLE_VMS [8], and bench/console.ts's own (KEYS, FRAMES, HOLD_SECONDS ...)   console
//   FLEET_PARALLEL [6]: create requests in flight while the list parts grow their fleet
//   FLEET_NAMESPACE: the list parts use (and grow, and keep) this namespace's VMs instead of a fleet of their own.
// Needs the sandbox up, a built portal (npm run build) and Chromium. Everything it creates (a fleet namespace with
// the list's VMs, the create part's VMs in team-a, the console part's namespace) is removed at the end, on failure
// and on Ctrl+C; so are the portals and browsers it starts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { kubectl } from '../e2e/support/cluster.ts';
import { consoleBench, consolePortalEnv } from './console.ts';
import { measure as measureListLatency } from './list-latency.ts';
import { createToRunning } from './parts/create.ts';
import { fanOut } from './parts/fan-out.ts';
import { listPage } from './parts/list-page.ts';
import { onCleanup, portalCookie, repoRoot, runMain, sandboxToken, sleep, startPortal, TOKEN_FRESH_MS, type Portal, type SandboxUser } from './support.ts';
import { markdownTable, resultsJson, type Figure } from './support/figures.ts';
import { createFleet, waitFleetSettled } from './support/kube.ts';

const PARTS = ['list-route', 'list-page', 'fan-out', 'create', 'console'] as const;
type Part = (typeof PARTS)[number];

const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1`);
  return v;
};
const nums = (name: string, dflt: number[]) => {
  const raw = process.env[name];
  const xs = raw ? raw.split(',').map((s) => Number(s.trim())) : dflt;
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`${name} must be whole numbers >= 1, comma-separated`);
  return xs;
};

const knobs = {
  listCounts: nums('LIST_COUNTS', [1000, 10_000]).sort((a, b) => a - b),
  listRounds: num('LIST_ROUNDS', 100),
  pageVms: num('PAGE_VMS', 10_000),
  pageLoads: num('PAGE_LOADS', 3),
  rowsPerFrame: num('ROWS_PER_FRAME', 10),
  changes: num('CHANGES', 10),
  tabs: nums('TABS', [1, 5, 20]),
  // team-a's quota holds 20 VMs in the sandbox.
  fanOutVms: Number(process.env.FANOUT_VMS ?? 10),
  createRuns: num('CREATE_RUNS', 3),
  createImage: process.env.CREATE_IMAGE ?? 'quay.io/containerdisks/tinylinux:1.0',
  consoleVms: num('CONSOLE_VMS', 8),
  fleetParallel: num('FLEET_PARALLEL', 6),
};
const port = Number(process.env.PORTAL_E2E_PORT ?? 3000);

const note = (s: string) => console.error(`  … ${s}`);
const heading = (s: string) => console.error(`\n== ${s}`);

// ---- credentials: ID tokens and portal sessions last 15 minutes in the sandbox; renewed after 10.

const token = sandboxToken;
const cookies = new Map<string, { at: number; cookie: string }>();
async function cookie(portal: Portal, user: SandboxUser): Promise<string> {
  const key = `${portal.pid}/${user}`;
  const c = cookies.get(key);
  if (c && Date.now() - c.at < TOKEN_FRESH_MS) return c.cookie;
  const fresh = { at: Date.now(), cookie: await portalCookie(portal.url, user) };
  cookies.set(key, fresh);
  return fresh.cookie;
}

// ---- the fleet: one namespace of halted VMs that the list parts share, grown as they need

const fleet = { namespace: '', size: 0, createMs: 0, settleMs: 0, kept: false };

function adoptKeptFleet(): void {
  if (!fleet.namespace && process.env.FLEET_NAMESPACE) {
    // A fleet kept from an earlier run (10,000 VMs take long to make): used as it is, grown if too small, not deleted.
    fleet.namespace = process.env.FLEET_NAMESPACE;
    fleet.kept = true;
    if (kubectl(['get', 'namespace', fleet.namespace, '-o', 'name']).status !== 0) kubectl(['create', 'namespace', fleet.namespace]);
    fleet.size = Number(kubectl(['get', 'vm', '-n', fleet.namespace, '-l', 'portal-bench=fleet', '-o', 'name']).stdout.split('\n').filter(Boolean).length);
    note(`using the fleet in ${fleet.namespace}: ${fleet.size} VMs`);
  }
}

async function fleetOf(count: number): Promise<string> {
  adoptKeptFleet();
  if (fleet.size > count) throw new Error(`the fleet in ${fleet.namespace} has ${fleet.size} VMs, more than the ${count} asked for`);
  if (!fleet.namespace) {
    fleet.namespace = `portal-bench-fleet-${Date.now().toString(36)}`;
    const r = kubectl(['create', 'namespace', fleet.namespace]);
    if (r.status !== 0) throw new Error(`kubectl create namespace ${fleet.namespace}: ${r.stderr}`);
    onCleanup(`delete namespace ${fleet.namespace}`, () => deleteFleet());
  }
  if (fleet.size < count) {
    note(`creating VMs ${fleet.size}…${count - 1} in ${fleet.namespace}`);
    // One request at a time made 10,000 VMs at 2–4 per second; the admission webhooks are the wait, not the CPU.
    const made = await createFleet(() => token('admin'), fleet.namespace, fleet.size, count, { parallel: knobs.fleetParallel, progress: (done) => note(`${fleet.size + done} VMs`) });
    const settled = await waitFleetSettled(() => token('admin'), fleet.namespace, count);
    fleet.createMs += made;
    fleet.settleMs += settled;
    note(`${count} VMs: created in ${(made / 1000).toFixed(1)} s, all Stopped ${(settled / 1000).toFixed(1)} s later`);
    fleet.size = count;
  }
  return fleet.namespace;
}

/** Deletes the fleet and waits until its namespace is gone (thousands of VMs: minutes), so no later part measures the teardown. */
async function deleteFleet(): Promise<void> {
  if (!fleet.namespace || fleet.kept) return;
  const ns = fleet.namespace;
  note(`deleting the fleet (${fleet.size} VMs in ${ns})`);
  const t0 = performance.now();
  kubectl(['delete', 'namespace', ns, '--wait=false']);
  while (kubectl(['get', 'namespace', ns, '-o', 'name']).status === 0) {
    if (performance.now() - t0 > 20 * 60_000) {
      note(`${ns} is still going after 20 minutes; going on`);
      break;
    }
    await sleep(3000);
  }
  note(`fleet deleted in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  fleet.namespace = '';
  fleet.size = 0;
}

async function withPortal<T>(env: Record<string, string>, fn: (portal: Portal) => Promise<T>): Promise<T> {
  // A loaded machine (it is shared) can take minutes to start Next.
  const portal = await startPortal({ port, env, readyTimeoutMs: 300_000 });
  note(`portal ${portal.url} (pid ${portal.pid}, log ${portal.logFile})`);
  try {
    return await fn(portal);
  } finally {
    await portal.stop();
  }
}

// ---- the parts

/**
 * The list route against a raw list (bench/list-latency.ts). The one place that calls it, so a change of its
 * interface is adjusted here.
 */
async function listRouteAt(portal: Portal, namespace: string, count: number): Promise<Figure[]> {
  const m = await measureListLatency(namespace, count, { rounds: knobs.listRounds, portal: portal.url });
  const part = 'list-route';
  const n = `${knobs.listRounds} rounds, ${m.encoding}`;
  return [
    { part, name: `p50 at ${count} VMs`, value: m.portal.p50, unit: 'ms', baseline: m.raw.p50, baselineNote: 'raw list', note: n },
    { part, name: `p99 at ${count} VMs`, value: m.portal.p99, unit: 'ms', baseline: m.raw.p99, baselineNote: 'raw list', budget: { kind: 'ratio-max', limit: 1.3 } },
  ];
}

async function runPart(part: Part): Promise<Figure[]> {
  switch (part) {
    case 'list-route':
      return withPortal({}, async (portal) => {
        const figures: Figure[] = [];
        for (const count of knobs.listCounts) {
          adoptKeptFleet();
          if (count < fleet.size) {
            note(`skipping ${count} VMs: the kept fleet has ${fleet.size}`);
            continue;
          }
          const ns = await fleetOf(count);
          note(`list route at ${count} VMs, ${knobs.listRounds} rounds a side`);
          figures.push(...(await listRouteAt(portal, ns, count)));
        }
        return figures;
      });
    case 'list-page': {
      const ns = await fleetOf(knobs.pageVms);
      return withPortal({}, async (portal) => {
        const figures = await listPage({ portal, namespace: ns, count: knobs.pageVms, loads: knobs.pageLoads, rowsPerFrame: knobs.rowsPerFrame, changes: knobs.changes });
        // How long the fleet took to make, when this run made it (a kept one was made before).
        const made = fleet.createMs > 0 ? [{ part: 'list-page', name: `fleet of ${fleet.size} VMs: create, then all Stopped`, value: fleet.createMs + fleet.settleMs, unit: 'ms' as const, note: `create ${(fleet.createMs / 1000).toFixed(0)} s, ${knobs.fleetParallel} requests at a time` }] : [];
        return [...figures, ...made];
      });
    }
    case 'fan-out':
      // One session for all tabs: the per-user stream cap must leave room for the most tabs.
      return withPortal({ PORTAL_MAX_STREAMS_PER_USER: String(Math.max(16, Math.max(...knobs.tabs) + 4)) }, (portal) =>
        fanOut({ portal, tabs: knobs.tabs, vms: knobs.fanOutVms, adminToken: () => token('admin'), namespace: 'team-a' }),
      );
    case 'create':
      return withPortal({}, (portal) =>
        createToRunning({ portal, runs: knobs.createRuns, namespace: 'team-a', image: knobs.createImage, cookie: () => cookie(portal, 'dev-a'), devToken: () => token('dev-a'), adminToken: () => token('admin') }),
      );
    case 'console':
      return withPortal(consolePortalEnv(knobs.consoleVms), (portal) => consoleBench(portal, knobs.consoleVms));
  }
}

function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  const parts = asked.length ? PARTS.filter((p) => asked.includes(p)) : [...PARTS];
  // The first kubectl call finds the sandbox's kubectl (a tsx process): not inside a part's timing.
  if (kubectl(['get', 'namespace', 'default', '-o', 'name']).status !== 0) throw new Error('kubectl cannot reach the sandbox: is it up (npm run sandbox:up)?');
  const startedAt = new Date();
  const figures: Figure[] = [];
  const failed: { part: Part; error: string }[] = [];
  const lastListPart = [...parts].reverse().find((p) => p === 'list-route' || p === 'list-page');
  for (const part of parts) {
    heading(part);
    const t0 = performance.now();
    try {
      figures.push(...(await runPart(part)));
    } catch (err) {
      // One part failing does not lose the others' figures.
      console.error(err);
      failed.push({ part, error: (err as Error).message.split('\n')[0]! });
    }
    note(`${part} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // The fleet's thousands of VMs go before the parts that boot guests, so those measure a quiet machine.
    if (part === lastListPart) await deleteFleet();
  }
  const finishedAt = new Date();
  const context = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    commit: gitDescribe(),
    machine: { cpus: cpus().length, loadAverageAtEnd: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') },
    parts,
    knobs,
    failed,
  };
  const table = markdownTable(figures);
  const md = [
    `# Benchmarks, ${startedAt.toISOString()}`,
    '',
    `Commit ${context.commit}; ${context.machine.cpus} CPUs, load average at the end ${context.machine.loadAverageAtEnd}; ${((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(1)} minutes.`,
    `Parts: ${parts.join(', ')}. Knobs: ${JSON.stringify(knobs)}.`,
    '',
    table,
    ...(failed.length ? ['', 'Failed (no figures):', ...failed.map((f) => `- ${f.part}: ${f.error}`)] : []),
    '',
  ].join('\n');
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  writeFileSync(join(dir, `${stamp}.md`), md);
  writeFileSync(join(dir, `${stamp}.json`), resultsJson(figures, context));
  console.log(`\n${md}`);
  console.log(`written: bench/results/${stamp}.md and .json`);
  return failed.length ? 1 : 0;
}

runMain(main);
