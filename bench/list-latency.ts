// Measures the VM list route's latency with N VMs in one namespace against a raw API server list of the same
// objects, with the same user (admin) and the same bearer token. A measurement, not a test:
//   npx tsx bench/list-latency.ts [count=1000] [rounds=30]
// Needs the sandbox and a portal on PORTAL_URL (default http://localhost:3000). Creates a namespace with N halted
// VMs and deletes it at the end.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import { chromium } from '@playwright/test';
import { kubectl, vmManifest } from '../e2e/support/cluster';

const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 30);
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

async function portalList(cookie: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${portal}/api/list?resource=virtualmachines&namespace=${ns}`, { headers: { cookie, 'accept-encoding': encoding } });
  const body = (await res.json()) as { items: unknown[] };
  if (!res.ok || body.items.length !== count) throw new Error(`portal ${res.status} ${body.items?.length}`);
  return performance.now() - t0;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main() {
  kubectl(['create', 'namespace', ns]);
  try {
    for (let i = 0; i < count; i += 100) {
      const items = Array.from({ length: Math.min(100, count - i) }, (_, j) => vmManifest(`vm-${String(i + j).padStart(5, '0')}`, ns, 'Halted'));
      const r = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      if (r.status !== 0) throw new Error(r.stderr);
    }
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ ignoreHTTPSErrors: true, baseURL: portal });
    await page.goto('/vms');
    await page.getByTestId('sign-in').click();
    await page.waitForURL(/\/dex\//);
    await page.locator('input[name="login"]').fill('admin@sandbox.test');
    await page.locator('input[name="password"]').fill('admin');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/vms/);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await browser.close();
    const { execSync } = await import('node:child_process');
    const token = execSync('npm run -s sandbox:token -- admin').toString().trim();

    const raw: number[] = [];
    const via: number[] = [];
    for (let i = 0; i < 3; i++) await Promise.all([rawList(token), portalList(cookie)]); // warm-up
    for (let i = 0; i < rounds; i++) {
      raw.push(await rawList(token));
      via.push(await portalList(cookie));
    }
    const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
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
