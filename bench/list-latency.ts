// Measures the VM list route's latency with N VMs in one namespace against a raw API server list of the same
// objects, with the same user (admin) and the same bearer token. A measurement, not a test:
//   npx tsx bench/list-latency.ts [count=1000] [rounds=100]
// Needs the sandbox and a portal on PORTAL_URL (default http://localhost:3000). Creates a namespace with N halted
// VMs and deletes it at the end. bench/all.ts calls measureListLatency on a namespace of its own.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { kubectl, vmManifest } from '../e2e/support/cluster';
import type { ListWire } from '../lib/shared/list-wire';
import { snapshotFromWire } from '../lib/live/wire';
import { adminToken, pct, portalCookie } from './support.ts';

const ca = () => readFileSync(`${process.env.SANDBOX_STATE_DIR ?? '.sandbox'}/pki/ca.crt`);

export interface ListLatencyOptions {
  /** A namespace holding exactly `count` VMs, settled (the simulator done writing their status). */
  namespace: string;
  count: number;
  rounds: number;
  portal: string;
  cookie: string;
  token: string;
  /** Both sides compressed (as a browser asks) or both not, so the comparison is like for like. */
  compress?: boolean;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface ListLatency {
  count: number;
  rounds: number;
  encoding: string;
  raw: Percentiles;
  portal: Percentiles;
}

const percentiles = (xs: number[]): Percentiles => ({ p50: pct(xs, 50), p90: pct(xs, 90), p99: pct(xs, 99) });

/** The raw list and the portal's route, alternating, time to the last byte on both sides. */
export async function measureListLatency(o: ListLatencyOptions): Promise<ListLatency> {
  const encoding = o.compress === false ? 'identity' : 'gzip';
  const authority = ca();
  const rawList = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const r = httpsRequest(`${process.env.K8S_API_SERVER ?? 'https://127.0.0.1:6443'}/apis/kubevirt.io/v1/namespaces/${o.namespace}/virtualmachines`, { ca: authority, headers: { authorization: `Bearer ${o.token}`, accept: 'application/json', 'accept-encoding': encoding } }, (res) => {
        const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        body.resume();
        body.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`raw ${res.statusCode}`))));
      });
      r.on('error', reject);
      r.end();
    });
  // The same HTTP client and decompression on both sides (neither parses: parsing is the client's work, not the
  // route's).
  const routePath = `${o.portal}/api/list?resource=virtualmachines&namespace=${o.namespace}`;
  const portalList = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const r = httpRequest(routePath, { headers: { cookie: o.cookie, 'accept-encoding': encoding } }, (res) => {
        const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        body.resume();
        body.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`portal ${res.statusCode}`))));
      });
      r.on('error', reject);
      r.end();
    });

  // Once, outside the timing: the route's body is a list the browser can read (snapshotFromWire), with every VM.
  const res = await fetch(routePath, { headers: { cookie: o.cookie } });
  const checked = snapshotFromWire((await res.json()) as ListWire);
  if (checked.items.length !== o.count) throw new Error(`portal list has ${checked.items.length} VMs, not ${o.count}`);

  const raw: number[] = [];
  const via: number[] = [];
  for (let i = 0; i < 3; i++) await Promise.all([rawList(), portalList()]); // warm-up
  for (let i = 0; i < o.rounds; i++) {
    raw.push(await rawList());
    via.push(await portalList());
  }
  return { count: o.count, rounds: o.rounds, encoding, raw: percentiles(raw), portal: percentiles(via) };
}

async function main() {
  const count = Number(process.argv[2] ?? 1000);
  // p99 wants enough samples that it is not just the slowest one.
  const rounds = Number(process.argv[3] ?? 100);
  const portal = process.env.PORTAL_URL ?? 'http://localhost:3000';
  const ns = `portal-bench-${Date.now().toString(36)}`;
  // An earlier run's namespace still being deleted (1,000 VMs' finalizers) would load the machine during this one.
  while (kubectl(['get', 'namespaces', '-o', 'name']).stdout.includes('namespace/portal-bench-')) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  kubectl(['create', 'namespace', ns]);
  try {
    for (let i = 0; i < count; i += 100) {
      const items = Array.from({ length: Math.min(100, count - i) }, (_, j) => vmManifest(`vm-${String(i + j).padStart(5, '0')}`, ns, 'Halted'));
      const r = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      if (r.status !== 0) throw new Error(r.stderr);
    }
    // The simulator's VM controller writes a status for each new VM: measure once it is done, not during.
    for (let settled = 0; settled < count; ) {
      await new Promise((r) => setTimeout(r, 2000));
      const out = kubectl(['get', 'vm', '-n', ns, '-o', 'jsonpath={range .items[*]}{.status.printableStatus}{"\\n"}{end}']);
      settled = out.stdout.split('\n').filter((l) => l === 'Stopped').length;
    }
    await new Promise((r) => setTimeout(r, 3000));
    const m = await measureListLatency({ namespace: ns, count, rounds, portal, cookie: await portalCookie(portal, 'admin'), token: adminToken(), compress: process.env.COMPRESS !== '0' });
    const fmt = (p: Percentiles) => `p50 ${p.p50.toFixed(1)} ms, p90 ${p.p90.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms`;
    console.log(`${count} VMs in one namespace, ${rounds} rounds, ${m.encoding}`);
    console.log(`  raw API server list: ${fmt(m.raw)}`);
    console.log(`  portal /api/list:    ${fmt(m.portal)}`);
    console.log(`  ratio p99: ${(m.portal.p99 / m.raw.p99).toFixed(2)}x, p50: ${(m.portal.p50 / m.raw.p50).toFixed(2)}x`);
  } finally {
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
}

// Run as a command, not when bench/all.ts imports measureListLatency.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
