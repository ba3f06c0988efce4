// Measures the VM list route's latency with N VMs in one namespace against a raw API server list of the same
// objects, with the same user (admin) and the same bearer token. A measurement, not a test:
//   npx tsx bench/list-latency.ts [count=1000] [rounds=100]
// Needs the sandbox and a portal on PORTAL_URL (default http://localhost:3000). Creates a namespace with N halted
// VMs and deletes it at the end.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import { kubectl, vmManifest } from '../e2e/support/cluster';
import type { ListWire } from '../lib/shared/list-wire';
import { snapshotFromWire } from '../lib/live/wire';
import { adminToken, pct, portalCookie } from './support.ts';

const count = Number(process.argv[2] ?? 1000);
// p99 wants enough samples that it is not just the slowest one.
const rounds = Number(process.argv[3] ?? 100);
const portal = process.env.PORTAL_URL ?? 'http://localhost:3000';
const ns = `portal-bench-${Date.now().toString(36)}`;
const ca = readFileSync(`${process.env.SANDBOX_STATE_DIR ?? '.sandbox'}/pki/ca.crt`);
// Both sides compressed (as a browser asks) or both not (COMPRESS=0), so the comparison is like for like.
const compress = process.env.COMPRESS !== '0';
const encoding = compress ? 'gzip' : 'identity';

function rawList(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = httpsRequest(`${process.env.K8S_API_SERVER ?? 'https://127.0.0.1:6443'}/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`, { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'accept-encoding': encoding } }, (res) => {
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      body.resume();
      body.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`raw ${res.statusCode}`))));
    });
    r.on('error', reject);
    r.end();
  });
}

// Time to the last byte on both sides, with the same HTTP client and decompression (neither parses: parsing is the
// client's work, not the route's).
function portalList(cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = httpRequest(`${portal}/api/list?resource=virtualmachines&namespace=${ns}`, { headers: { cookie, 'accept-encoding': encoding } }, (res) => {
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      body.resume();
      body.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`portal ${res.statusCode}`))));
    });
    r.on('error', reject);
    r.end();
  });
}

/** Once, outside the timing: the route's body is a list the browser can read (snapshotFromWire), with every VM. */
async function checkPortalList(cookie: string) {
  const res = await fetch(`${portal}/api/list?resource=virtualmachines&namespace=${ns}`, { headers: { cookie } });
  const body = snapshotFromWire((await res.json()) as ListWire);
  if (body.items.length !== count) throw new Error(`portal list has ${body.items.length} VMs, not ${count}`);
}

async function main() {
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
    const cookie = await portalCookie(portal, 'admin');
    const token = adminToken();

    const raw: number[] = [];
    const via: number[] = [];
    await checkPortalList(cookie);
    for (let i = 0; i < 3; i++) await Promise.all([rawList(token), portalList(cookie)]); // warm-up
    for (let i = 0; i < rounds; i++) {
      raw.push(await rawList(token));
      via.push(await portalList(cookie));
    }
    const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p90 ${pct(xs, 90).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
    console.log(`${count} VMs in one namespace, ${rounds} rounds, ${encoding}`);
    console.log(`  raw API server list: ${fmt(raw)}`);
    console.log(`  portal /api/list:    ${fmt(via)}`);
    console.log(`  ratio p99: ${(pct(via, 99) / pct(raw, 99)).toFixed(2)}x, p50: ${(pct(via, 50) / pct(raw, 50)).toFixed(2)}x`);
  } finally {
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
