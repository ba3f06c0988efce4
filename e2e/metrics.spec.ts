import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';
import WebSocket from 'ws';
import { parseExposition, type Sample } from '../lib/metrics/exposition.ts';
import { IDP_ROUTE, OTHER_ROUTE, ROUTE_PATTERNS, SERVER_ROUTES, STATIC_ROUTE } from '../lib/metrics/route-label.ts';
import { CONSOLE_SUBPROTOCOL, consolePath } from '../lib/shared/console-protocol.ts';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// Issue 13: /metrics parses as Prometheus text and moves when requests happen, against the production build on the
// sandbox (e2e/run.ts starts it without PORTAL_METRICS_PORT, so /metrics is on the main port).
const portal = new URL(process.env.PORTAL_URL ?? 'http://localhost:3000');
const ns = 'team-a';
const vm = uniqueName('e2e-metrics');
const LIST = '/api/list';

test.beforeAll(() => createVm(vm, ns, 'Always'));
test.afterAll(() => deleteVm(vm, ns));

async function scrape(request: APIRequestContext): Promise<Sample[]> {
  // The test's own request context, not the page's: a scraper has no session, and needs none.
  const res = await request.get('/metrics');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  // Every line is a comment or a sample the project's reader takes.
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const samples = parseExposition(text);
  expect(samples).toHaveLength(lines.length);
  return samples;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies(portal.origin)).map((c) => `${c.name}=${c.value}`).join('; ');
}

test('request durations by route pattern and status, live streams, and a console, as a scraper reads them', async ({ page, context, request }) => {
  await signIn(page, 'dev-a', '/vms');
  // The tab's stream and its watches open after the page's first list: scraped before it is live, the gauges below
  // read 0 (a clean-clone CI run did).
  await expect(page.locator('[data-live="true"]').first()).toBeVisible({ timeout: 30_000 });
  const before = await scrape(request);

  const listOk = { method: 'GET', route: LIST, status: '200' };
  const listBad = { method: 'GET', route: LIST, status: '400' };
  for (let i = 0; i < 3; i++) {
    const res = await page.request.get(`${LIST}?resource=virtualmachines&namespace=${ns}`);
    expect(res.status()).toBe(200);
  }
  expect((await page.request.get(`${LIST}?resource=no-such-resource`)).status()).toBe(400);
  const vmPage = await page.request.get(`/vms/${ns}/${vm}`);
  expect(vmPage.status()).toBe(200);

  const after = await scrape(request);
  const count = 'portal_http_request_duration_seconds_count';
  // At least: the open list page may list again on its own.
  expect(value(after, count, listOk)).toBeGreaterThanOrEqual(value(before, count, listOk) + 3);
  expect(value(after, count, listBad)).toBe(value(before, count, listBad) + 1);
  expect(value(after, count, { route: '/vms/[namespace]/[name]', status: '200' })).toBeGreaterThanOrEqual(value(before, count, { route: '/vms/[namespace]/[name]', status: '200' }) + 1);
  expect(value(after, 'portal_http_request_duration_seconds_sum', listOk)).toBeGreaterThan(value(before, 'portal_http_request_duration_seconds_sum', listOk));
  // The scrape before this one was observed too, under its own label.
  expect(value(after, count, { route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);

  // Route labels are patterns, never paths: no series names this VM.
  const labels = new Set([STATIC_ROUTE, IDP_ROUTE, OTHER_ROUTE, ...ROUTE_PATTERNS, ...SERVER_ROUTES]);
  for (const s of after.filter((x) => x.name === count)) expect(labels.has(s.labels.route!), s.labels.route).toBe(true);
  expect(after.some((s) => Object.values(s.labels).some((v) => v.includes(vm)))).toBe(false);

  // The list page's tab holds a live stream and at least one watch scope of virtual machines.
  expect(value(after, 'portal_live_streams_open')).toBeGreaterThanOrEqual(1);
  expect(value(after, 'portal_live_watch_scopes', { resource: 'virtualmachines' })).toBeGreaterThanOrEqual(1);
  expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);

  // A serial console through the portal: counted while it is open, and no more once it is closed.
  await waitForStatus(vm, ns, 'Running', 90_000);
  const serial = { kind: 'serial' };
  const consolesBefore = value(await scrape(request), 'portal_console_sessions_open', serial);
  const ws = new WebSocket(`ws://${portal.host}${consolePath('serial', ns, vm)}`, [CONSOLE_SUBPROTOCOL], {
    headers: { cookie: await cookieHeader(context) },
    origin: portal.origin,
  });
  ws.on('error', () => undefined);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`console refused: ${res.statusCode}`)));
    void closed.then((code) => reject(new Error(`console closed: ${code}`)));
  });
  expect(value(await scrape(request), 'portal_console_sessions_open', serial)).toBe(consolesBefore + 1);
  ws.close(1000);
  await closed;
  await expect.poll(async () => value(await scrape(request), 'portal_console_sessions_open', serial)).toBe(consolesBefore);
});
