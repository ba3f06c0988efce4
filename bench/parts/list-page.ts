// The VM list page in Chromium with a big fleet: time to the first row, frame times while scrolling the whole list,
// and how long a change made with kubectl takes to show in a row near the viewport. Signed in as admin, who sees
// every namespace (one cluster-wide watch per resource), so the page holds the fleet and whatever else there is.
import type { Page } from '@playwright/test';
import { kubectl } from '../../e2e/support/cluster.ts';
import { launchChromium, onCleanup, pct, signInPage, type Portal } from '../support.ts';
import type { Figure } from '../support/figures.ts';

export interface ListPageOptions {
  portal: Portal;
  /** The fleet's namespace and size (its VMs are what the kubectl changes touch). */
  namespace: string;
  count: number;
  loads: number;
  rowsPerFrame: number;
  changes: number;
}

const note = (s: string) => console.error(`  … ${s}`);

// Installed before any of the page's own scripts: the time (performance.now(), from navigation start) at which the
// first VM row was in the DOM, and the start of the frame after it, when it has been painted.
const FIRST_ROW_PROBE = `(() => {
  const w = window;
  w.__bench = {};
  const seen = () => {
    if (w.__bench.rowInDom !== undefined || !document.querySelector('[data-testid="vm-row"]')) return false;
    w.__bench.rowInDom = performance.now();
    requestAnimationFrame(() => { w.__bench.firstRow = performance.now(); });
    return true;
  };
  new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); }).observe(document, { subtree: true, childList: true });
})();`;

interface FirstRow {
  rowInDom: number;
  firstRow: number;
}

async function timeToFirstRow(page: Page): Promise<FirstRow> {
  await page.goto('/vms', { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __bench?: { firstRow?: number } }).__bench?.firstRow !== undefined, undefined, { timeout: 180_000, polling: 100 });
  return page.evaluate(() => (window as unknown as { __bench: FirstRow }).__bench);
}

interface ScrollResult {
  deltas: number[];
  scrolledPx: number;
  lastRowShown: boolean;
  /** Whether the grid itself scrolled (as designed) or the page did. */
  gridScrolls: boolean;
  /** Rows in the DOM before the scroll: the virtualizer's window. */
  rowsInDom: number;
}

/**
 * Scrolls the grid from top to bottom, `stepPx` at every animation frame, and records the time between frames
 * (requestAnimationFrame timestamps): a frame the main thread was too busy to produce shows as a long delta.
 */
function scrollThrough(page: Page, stepPx: number): Promise<ScrollResult> {
  return page.evaluate(async (step) => {
    const list = document.querySelector<HTMLElement>('[data-testid="vm-grid"]')!;
    // The grid is meant to be the scroller; if the layout lets it grow to its content instead, the page scrolls.
    const gridScrolls = list.scrollHeight > list.clientHeight + 1;
    const grid = gridScrolls ? list : (document.scrollingElement as HTMLElement);
    const rowsInDom = list.querySelectorAll('[data-testid="vm-row"]').length;
    grid.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const deltas: number[] = [];
    let scrolledPx = 0;
    await new Promise<void>((resolve) => {
      let last = 0;
      let stuck = 0;
      const tick = (now: number) => {
        if (last) deltas.push(now - last);
        last = now;
        if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) return resolve();
        const before = grid.scrollTop;
        grid.scrollTop = before + step;
        scrolledPx += grid.scrollTop - before;
        // A minute of frames without moving (the list shrank under it, or cannot scroll): as far as it goes.
        stuck = grid.scrollTop === before ? stuck + 1 : 0;
        if (stuck > 3600) return resolve();
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const rowCount = Number(list.getAttribute('aria-rowcount'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const lastRowShown = !!list.querySelector(`[data-testid="vm-row"][aria-rowindex="${rowCount}"]`);
    return { deltas, scrolledPx, lastRowShown, gridScrolls, rowsInDom };
  }, stepPx);
}

/** Scrolls so that row `index` is in the middle of the grid and returns the key (ns/name) of a fleet row in view. */
function fleetRowInView(page: Page, index: number, namespace: string): Promise<string | undefined> {
  return page.evaluate(
    async ({ index, namespace }) => {
      const grid = document.querySelector<HTMLElement>('[data-testid="vm-grid"]')!;
      grid.scrollTop = Math.max(0, index * 44 - grid.clientHeight / 2);
      // The virtualizer renders the rows of the new position on the scroll event: some frames later on a busy machine.
      for (let frame = 0; frame < 300; frame++) {
        await new Promise((r) => requestAnimationFrame(r));
        const top = grid.getBoundingClientRect().top;
        const bottom = top + grid.clientHeight;
        const rows = [...grid.querySelectorAll<HTMLElement>('[data-testid="vm-row"]')].filter((r) => {
          const b = r.getBoundingClientRect();
          return b.top >= top && b.bottom <= bottom && r.dataset.vm?.startsWith(`${namespace}/`);
        });
        if (rows.length) return rows[Math.floor(rows.length / 2)]!.dataset.vm;
      }
      return undefined;
    },
    { index, namespace },
  );
}

/**
 * Arms an observer for the row `key` whose CPU cell comes to hold `text`: window.__shownAt gets the wall-clock time
 * (Date.now(), comparable with this process's) of the frame after the change reached the DOM.
 */
function armChangeProbe(page: Page, key: string, text: string): Promise<void> {
  return page.evaluate(
    ({ key, text }) => {
      const w = window as unknown as { __shownAt?: number; __probe?: MutationObserver };
      w.__shownAt = undefined;
      w.__probe?.disconnect();
      const header = document.querySelector('[data-testid="sort-cpu"]')?.closest('[role="columnheader"]');
      const col = header ? [...header.parentElement!.children].indexOf(header) : -1;
      const check = () => {
        const row = document.querySelector(`[data-testid="vm-row"][data-vm="${key}"]`);
        const cell = row?.children[col];
        if (cell && cell.textContent?.includes(text) && w.__shownAt === undefined) {
          w.__probe?.disconnect();
          requestAnimationFrame(() => (w.__shownAt = Date.now()));
        }
      };
      w.__probe = new MutationObserver(check);
      w.__probe.observe(document.querySelector('[data-testid="vm-grid"]')!, { subtree: true, childList: true, characterData: true });
      check();
    },
    { key, text },
  );
}

export async function listPage(o: ListPageOptions): Promise<Figure[]> {
  const part = 'list-page';
  const browser = await launchChromium();
  const undo = onCleanup('close Chromium', () => browser.close());
  try {
    const context = await browser.newContext({ baseURL: o.portal.url, viewport: { width: 1440, height: 900 } });
    // tsx compiles this file keeping function names: the functions handed to page.evaluate call its __name helper,
    // which the page does not have.
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    note('signing in as admin');
    await signInPage(page, 'admin');
    await page.addInitScript(FIRST_ROW_PROBE);

    // a. Time to first row: the first load and the later ones (warm caches in the browser and the portal).
    const loads: FirstRow[] = [];
    for (let i = 0; i < o.loads; i++) {
      loads.push(await timeToFirstRow(page));
      note(`load ${i + 1}/${o.loads}: first row painted at ${loads[i]!.firstRow.toFixed(0)} ms`);
    }
    await page.getByTestId('live-indicator').and(page.locator('[data-live="true"]')).waitFor({ timeout: 120_000 });
    const total = Number(await page.getByTestId('vm-grid').getAttribute('aria-rowcount'));
    const firsts = loads.map((l) => l.firstRow);

    // b. Frame times while scrolling the whole list.
    const step = o.rowsPerFrame * 44;
    note(`scrolling through ${total} rows, ${o.rowsPerFrame} rows a frame`);
    const scroll = await scrollThrough(page, step);
    const d = scroll.deltas;
    if (d.length === 0) throw new Error(`the grid did not scroll (${total} rows, scrolled ${scroll.scrolledPx} px)`);
    const long = d.filter((x) => x > 50).length;
    note(`${d.length} frames; p50 ${pct(d, 50).toFixed(1)} ms, p99 ${pct(d, 99).toFixed(1)} ms, max ${Math.max(...d).toFixed(0)} ms; last row shown: ${scroll.lastRowShown}`);

    // c. A change made with kubectl (the VM's vCPUs) on a fleet row in view, at positions through the list.
    const shows: number[] = [];
    const kubectlMs: number[] = [];
    for (let i = 0; i < o.changes; i++) {
      const index = Math.floor(((i + 0.5) / o.changes) * total);
      const key = await fleetRowInView(page, index, o.namespace);
      if (!key) throw new Error(`no row of ${o.namespace} in view around row ${index}`);
      const name = key.split('/')[1]!;
      const cores = 2 + (i % 60);
      await armChangeProbe(page, key, String(cores));
      const t0 = Date.now();
      const patch = kubectl(['patch', 'vm', name, '-n', o.namespace, '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: { domain: { cpu: { cores } } } } } })]);
      kubectlMs.push(Date.now() - t0);
      if (patch.status !== 0) throw new Error(`kubectl patch ${key}: ${patch.stderr}`);
      await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined, undefined, { timeout: 30_000, polling: 50 });
      const shownAt = await page.evaluate(() => (window as unknown as { __shownAt: number }).__shownAt);
      shows.push(shownAt - t0);
      note(`change ${i + 1}/${o.changes} (${key} to ${cores} vCPUs): shown after ${shows[i]} ms (kubectl itself ${kubectlMs[i]} ms)`);
    }

    const loadsNote = `${o.loads} loads, ${total} rows`;
    const frameNote = `${d.length} frames, ${o.rowsPerFrame} rows a frame; ${scroll.gridScrolls ? 'the grid' : 'the PAGE, not the grid,'} scrolled; ${scroll.rowsInDom} rows in the DOM`;
    const changeNote = `n=${shows.length}, from kubectl's start; kubectl itself p50 ${pct(kubectlMs, 50)} ms`;
    return [
      { part, name: 'time to first row, first load', value: firsts[0]!, unit: 'ms', note: loadsNote },
      { part, name: 'time to first row, p50 of loads', value: pct(firsts, 50), unit: 'ms', note: `row in DOM at ${pct(loads.map((l) => l.rowInDom), 50).toFixed(0)} ms` },
      { part, name: 'frame time while scrolling, p50', value: pct(d, 50), unit: 'ms', note: frameNote },
      { part, name: 'frame time while scrolling, p99', value: pct(d, 99), unit: 'ms' },
      { part, name: 'frame time while scrolling, max', value: Math.max(...d), unit: 'ms' },
      { part, name: 'frames over 50 ms while scrolling', value: long, unit: 'count', note: `of ${d.length}; last row reached: ${scroll.lastRowShown ? 'yes' : 'NO'}` },
      { part, name: 'kubectl change shown in the row, p50', value: pct(shows, 50), unit: 'ms', budget: { kind: 'max', limit: 1000 }, note: changeNote },
      { part, name: 'kubectl change shown in the row, max', value: Math.max(...shows), unit: 'ms', budget: { kind: 'max', limit: 1000 } },
    ];
  } finally {
    await browser.close();
    undo();
  }
}

