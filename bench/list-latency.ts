// Measures the VM list route's latency with N VMs in one namespace against a raw API server list of the same
// objects, with the same user (admin) and the same bearer token. A measurement, not a test:
//   npx tsx bench/list-latency.ts [counts=1000,10000] [rounds=100]
// Needs the sandbox and a portal on PORTAL_URL (default http://localhost:3000). For each count it creates a
// namespace with that many halted VMs, measures, and deletes the namespace. benchListLatency is the same for the
// all-in-one benchmark command.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { kubectl } from '../e2e/support/cluster';
import type { ListWire } from '../lib/shared/list-wire';
import { snapshotFromWire } from '../lib/live/wire';
import { fmtMs, onCleanup, pct, portalCookie, runMain, sandboxToken, sleep } from './support.ts';
import { apiServer, createFleet, waitFleetSettled } from './support/kube.ts';

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface ListLatency {
  count: number;
  rounds: number;
  encoding: 'gzip' | 'identity';
  raw: Percentiles; // ms, the API server's list
  portal: Percentiles; // ms, GET /api/list
  ratio: Percentiles; // portal / raw
}

export interface ListLatencyOptions {
  /** p99 wants enough samples that it is not just the slowest one. */
  rounds?: number;
  portal?: string;
  /** Both sides compressed (as a browser asks) or both not, so the comparison is like for like. */
  compress?: boolean;
  /** Progress lines (creation, settling); none by default. */
  log?: (line: string) => void;
}

// This benchmark's own prefix: a leftover of an earlier run is deleted, other benchmarks' namespaces are not touched.
const BENCH_NS_PREFIX = 'portal-bench-list-';
// Each VM goes through the simulator's admission webhooks (about 0.4 s on the shared 2-core machine): a few requests
// in flight keep the API server busy instead of waiting. Not many more: eight batches of 100 at once overwhelmed the
// webhook (10 s timeouts, creations refused).
const FLEET_PARALLEL = Number(process.env.FLEET_PARALLEL ?? 6);

function caCert(): Buffer {
  return readFileSync(`${process.env.SANDBOX_STATE_DIR ?? '.sandbox'}/pki/ca.crt`);
}

// Time to the last byte on both sides, with the same HTTP client and decompression (neither parses: parsing is the
// client's work, not the route's).
function timed(send: (onRes: (res: IncomingMessage) => void) => ClientRequest, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = send((res) => {
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      body.resume();
      body.on('error', reject);
      body.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${what} ${res.statusCode}`))));
    });
    r.on('error', reject);
    r.end();
  });
}

const rawList = (ns: string, token: string, encoding: string, ca: Buffer) =>
  timed(
    (onRes) =>
      httpsRequest(
        `${apiServer()}/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`,
        { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'accept-encoding': encoding } },
        onRes,
      ),
    'raw',
  );

const portalList = (portal: string, ns: string, cookie: string, encoding: string) =>
  timed((onRes) => httpRequest(`${portal}/api/list?resource=virtualmachines&namespace=${ns}`, { headers: { cookie, 'accept-encoding': encoding } }, onRes), 'portal');

/** Once, outside the timing: the route's body is a list the browser can read (snapshotFromWire), with every VM. */
async function checkPortalList(portal: string, ns: string, cookie: string, count: number) {
  const res = await fetch(`${portal}/api/list?resource=virtualmachines&namespace=${ns}`, { headers: { cookie } });
  const body = snapshotFromWire((await res.json()) as ListWire);
  if (body.items.length !== count) throw new Error(`portal list has ${body.items.length} VMs, not ${count}`);
}

const benchNamespaces = () =>
  kubectl(['get', 'namespaces', '-o', 'name'])
    .stdout.split('\n')
    .filter((l) => l.startsWith(`namespace/${BENCH_NS_PREFIX}`));

/**
 * A fresh namespace with `count` halted VMs whose status the simulator has written; resolves with its name and how
 * long creating and settling took. An earlier run's namespace still being deleted is waited for first (its VMs'
 * deletion would load the machine during this run). The namespace is deleted by the returned remove, and by the
 * benchmark's cleanup on Ctrl+C.
 */
export async function populate(count: number, log: (line: string) => void = () => undefined, opts: { alongside?: boolean } = {}) {
  // alongside: beside this run's own namespaces of other sizes (a caller measuring several portals on the same VMs).
  for (let left = opts.alongside ? [] : benchNamespaces(); left.length; left = benchNamespaces()) {
    log(`waiting for ${left.join(', ')} to go`);
    for (const n of left) kubectl(['delete', n, '--wait=false']);
    await sleep(5000);
  }
  const ns = `${BENCH_NS_PREFIX}${Date.now().toString(36)}`;
  kubectl(['create', 'namespace', ns]);
  const remove = () => void kubectl(['delete', 'namespace', ns, '--wait=false']);
  const unregister = onCleanup(`delete namespace ${ns}`, remove);
  const admin = () => sandboxToken('admin');
  const createdMs = await createFleet(admin, ns, 0, count, { parallel: FLEET_PARALLEL, progress: (done) => log(`  ${done}/${count} created`) });
  log(`created ${count} VMs in ${fmtMs(createdMs)}`);
  // The simulator's VM controller writes a status for each new VM: measure once it is done, not during.
  const settledMs = createdMs + (await waitFleetSettled(admin, ns, count));
  return {
    ns,
    createdMs,
    settledMs,
    remove: () => {
      unregister();
      remove();
    },
  };
}

/** Alternating raw and portal lists of the namespace's `count` VMs; the portal's session comes from a fresh sign-in. */
export async function measure(ns: string, count: number, opts: ListLatencyOptions = {}): Promise<ListLatency> {
  const rounds = opts.rounds ?? 100;
  const portal = opts.portal ?? process.env.PORTAL_URL ?? 'http://localhost:3000';
  const encoding = (opts.compress ?? process.env.COMPRESS !== '0') ? 'gzip' : 'identity';
  const ca = caCert();
  const cookie = await portalCookie(portal, 'admin');
  await checkPortalList(portal, ns, cookie, count);
  for (let i = 0; i < 3; i++) await Promise.all([rawList(ns, sandboxToken('admin'), encoding, ca), portalList(portal, ns, cookie, encoding)]); // warm-up
  const raw: number[] = [];
  const via: number[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(await rawList(ns, sandboxToken('admin'), encoding, ca));
    via.push(await portalList(portal, ns, cookie, encoding));
  }
  const of = (xs: number[]): Percentiles => ({ p50: pct(xs, 50), p99: pct(xs, 99) });
  const r = of(raw);
  const p = of(via);
  return { count, rounds, encoding, raw: r, portal: p, ratio: { p50: p.p50 / r.p50, p99: p.p99 / r.p99 } };
}

/** populate, measure and remove: one row of the benchmark's table. */
export async function benchListLatency(count: number, opts: ListLatencyOptions = {}): Promise<ListLatency> {
  const made = await populate(count, opts.log);
  try {
    return await measure(made.ns, count, opts);
  } finally {
    made.remove();
  }
}

export function formatListLatency(x: ListLatency): string {
  const f = (p: Percentiles) => `p50 ${fmtMs(p.p50)}, p99 ${fmtMs(p.p99)}`;
  return [
    `${x.count} VMs in one namespace, ${x.rounds} rounds, ${x.encoding}`,
    `  raw API server list: ${f(x.raw)}`,
    `  portal /api/list:    ${f(x.portal)}`,
    `  ratio p99: ${x.ratio.p99.toFixed(2)}x, p50: ${x.ratio.p50.toFixed(2)}x (budget p99 <= 1.3x)`,
  ].join('\n');
}

/** "1000,10000" (or one count) to counts. */
export function parseCounts(arg: string | undefined): number[] {
  const counts = (arg ?? '1000,10000').split(',').map((s) => Number(s.trim()));
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`counts must be positive integers, comma-separated: ${arg}`);
  return counts;
}

async function main(): Promise<number> {
  const counts = parseCounts(process.argv[2]);
  const rounds = Number(process.argv[3] ?? 100);
  for (const count of counts) console.log(formatListLatency(await benchListLatency(count, { rounds, log: (l) => console.log(l) })));
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain(main);
