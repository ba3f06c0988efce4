import { expect, test } from '@playwright/test';
import { kubectl, uniqueName, vmManifest } from './support/cluster';
import { search, signIn } from './support/portal';

// The VM list is virtualized: its grid is the scroller, bounded by the window, and holds only the rows in view (plus
// the overscan), however many VMs there are. The layout once let the grid grow to all its rows (the page scrolled
// instead and every row was rendered); with 60 VMs in a 600 px high window that shows.
const ns = uniqueName('e2e-layout');
const COUNT = 60;

test.beforeAll(() => {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'portal-e2e': 'true' } } },
    ...Array.from({ length: COUNT }, (_, i) => vmManifest(`vm-${String(i).padStart(2, '0')}`, ns, 'Halted')),
  ];
  const r = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  if (r.status !== 0) throw new Error(r.stderr);
});

test.afterAll(() => {
  kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
});

test.use({ viewport: { width: 1280, height: 600 } });

test('the list grid scrolls by itself within the window and renders only the rows in view', async ({ page }) => {
  await signIn(page, 'admin');
  await search(page, ns);
  const grid = page.getByTestId('vm-grid');
  await expect(grid).toHaveAttribute('aria-rowcount', String(COUNT), { timeout: 30_000 });
  const layout = await grid.evaluate((g) => ({
    gridBottom: g.getBoundingClientRect().bottom,
    gridScrolls: g.scrollHeight > g.clientHeight,
    pageHeight: document.documentElement.scrollHeight,
    rows: g.querySelectorAll('[data-testid="vm-row"]').length,
  }));
  expect(layout.gridScrolls).toBe(true);
  expect(layout.gridBottom).toBeLessThanOrEqual(600);
  expect(layout.pageHeight).toBeLessThanOrEqual(600);
  expect(layout.rows).toBeLessThan(COUNT);
  // The last VM is reached by scrolling the grid, and rendered then.
  await grid.focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('vm-row').filter({ hasText: `vm-${COUNT - 1}` })).toBeVisible();
});
