// Watch fan-out: N tabs of one Chromium sharing one portal session (each tab in a context of its own: see below) on
// the VM list of one namespace: dev-a, whose only namespace is team-a, so each tab's lists are
// namespaced watches. Per N: the portal process's resident memory and the upstream watches the API server counts
// (its own metrics, read as admin), both against the same portal with no tab open.
import type { Page } from '@playwright/test';
import { launchChromium, onCleanup, sampleRssKiB, signInPage, sleep, type Portal } from '../support.ts';
import { watchCounts, watchDelta, type WatchCount } from '../support/apiserver-metrics.ts';
import type { Figure } from '../support/figures.ts';
import { kubectl } from '../../e2e/support/cluster.ts';
import { createFleet, kubeRequest, waitFleetSettled } from '../support/kube.ts';

export interface FanOutOptions {
  portal: Portal;
  tabs: number[];
  /** Halted VMs made in the namespace for the tabs to list (and removed after). */
  vms: number;
  adminToken: () => string;
  /** dev-a's one namespace, which the list shows. */
  namespace: string;
}

const note = (s: string) => console.error(`  … ${s}`);

async function watches(token: string): Promise<WatchCount> {
  const r = await kubeRequest(token, 'GET', '/metrics');
  if (r.status !== 200) throw new Error(`GET /metrics as admin: ${r.status} ${r.body.slice(0, 200)}`);
  return watchCounts(r.body);
}

/** Settled: the same count three readings in a row, a second apart (watches open and close asynchronously). */
async function steadyWatches(token: string, until: (w: WatchCount) => boolean = () => true, timeoutMs = 60_000): Promise<WatchCount> {
  const end = Date.now() + timeoutMs;
  let last = await watches(token);
  let same = 0;
  while (Date.now() < end) {
    await sleep(1000);
    const w = await watches(token);
    same = w.total === last.total ? same + 1 : 0;
    last = w;
    if (same >= 2 && until(w)) return w;
  }
  return last;
}

async function openTab(page: Page): Promise<void> {
  await page.goto('/vms');
  await page.getByTestId('live-indicator').and(page.locator('[data-live="true"]')).waitFor({ timeout: 120_000 });
}

export async function fanOut(o: FanOutOptions): Promise<Figure[]> {
  const part = 'fan-out';
  const browser = await launchChromium();
  const undo = onCleanup('close Chromium', () => browser.close());
  const figures: Figure[] = [];
  const removeVms = () => void kubectl(['delete', 'vm', '-n', o.namespace, '-l', 'portal-bench=fleet', '--wait=true', '--timeout=300s']);
  const undoVms = onCleanup(`delete the fan-out VMs in ${o.namespace}`, removeVms);
  try {
    if (o.vms > 0) {
      note(`creating ${o.vms} halted VMs in ${o.namespace}`);
      await createFleet(o.adminToken, o.namespace, 0, o.vms, { prefix: 'bench-fan-' });
      await waitFleetSettled(o.adminToken, o.namespace, o.vms);
    }
    const context = await browser.newContext({ baseURL: o.portal.url, viewport: { width: 1280, height: 800 } });
    const signIn = await context.newPage();
    note('signing in as dev-a');
    await signInPage(signIn, 'dev-a');
    await signIn.close();
    // Chromium holds at most 6 HTTP/1.1 connections per origin in one profile, and each tab keeps one for its live
    // stream: a 7th tab of one profile waits forever. So each tab gets a context of its own (its own connections)
    // with the same session cookie: one session, as one person's tabs, over a connection pool per tab.
    const session = await context.storageState();
    const tabContext = () => browser.newContext({ baseURL: o.portal.url, viewport: { width: 1280, height: 800 }, storageState: session });

    const mib = (kib: number) => kib / 1024;
    const baseWatches = await steadyWatches(o.adminToken());
    const baseRss = await sampleRssKiB(o.portal.pid, 5, 1000);
    note(`no tab: portal RSS ${mib(baseRss).toFixed(1)} MiB, ${baseWatches.total} watches on the API server`);
    for (const n of o.tabs) {
      const contexts = await Promise.all(Array.from({ length: n }, tabContext));
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      // One after another, as a person opens tabs; a tab is counted once its lists are live.
      for (const p of pages) await openTab(p);
      const w = await steadyWatches(o.adminToken());
      const rss = await sampleRssKiB(o.portal.pid, 5, 1000);
      const delta = watchDelta(w, baseWatches);
      const held = w.total - baseWatches.total;
      note(`${n} tab(s): portal RSS ${mib(rss).toFixed(1)} MiB, ${held} more watches (${JSON.stringify(delta)})`);
      figures.push(
        { part, name: `portal RSS, ${n} tab(s)`, value: mib(rss), unit: 'MiB', baseline: mib(baseRss), baselineNote: 'no tab', note: `${(mib(rss - baseRss) / n).toFixed(2)} MiB a tab` },
        { part, name: `upstream watches held, ${n} tab(s)`, value: held, unit: 'count', baseline: 0, baselineNote: 'no tab', note: `${(held / n).toFixed(1)} a tab: ${Object.entries(delta).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}` },
      );
      await Promise.all(contexts.map((c) => c.close()));
      // The portal ends its watches when the tabs' streams go: back to the count with no tab.
      const after = await steadyWatches(o.adminToken(), (x) => x.total <= baseWatches.total, 60_000);
      if (after.total > baseWatches.total) note(`after closing ${n} tab(s): still ${after.total - baseWatches.total} more watches than with none`);
      figures.push({ part, name: `upstream watches left after closing ${n} tab(s)`, value: after.total - baseWatches.total, unit: 'count', note: 'within 60 s; 0 = none leaked' });
    }
    figures.push({ part, name: 'upstream watches, no tab (API server total)', value: baseWatches.total, unit: 'count', note: `${o.namespace} with ${o.vms} VMs; one session shared by the tabs` });
    return figures;
  } finally {
    await browser.close();
    undo();
    removeVms();
    undoVms();
  }
}
