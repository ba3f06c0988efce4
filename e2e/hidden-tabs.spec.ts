import { expect, test, type Page } from '@playwright/test';
import { createVm, deleteVm, uniqueName } from './support/cluster';
import { row, search, signIn } from './support/portal';

// Over HTTP/1.1 Chromium keeps at most six connections to one origin per profile, and every open portal tab holds one
// for its live stream: here, as in the fan-out benchmark, a sixth tab of one profile never went live. A tab hidden for
// the grace (30 s) gives its stream up and takes it again, from the versions it holds, when shown.
//
// Headless Chromium reports every page as visible, so hiding a tab is the one part simulated here: the page's
// visibilityState is overridden and the browser's visibilitychange event dispatched, as a switch of tabs would.
const name = uniqueName('e2e-hidden');

test.afterAll(() => deleteVm(name, 'team-a'));

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const live = (page: Page) => page.getByTestId('live-indicator');

test('tabs hidden for a while free their connections for more tabs, and come back live with what they missed', async ({ context, page }) => {
  test.setTimeout(150_000);
  await signIn(page, 'dev-a');
  const tabs = [page];
  for (let i = 1; i < 5; i++) {
    const tab = await context.newPage();
    await tab.goto('/vms');
    tabs.push(tab);
  }
  // Five live streams, and the connections the pages' requests need: all that this origin gets.
  for (const tab of tabs) await expect(live(tab)).toHaveAttribute('data-live', 'true');

  for (const tab of tabs) await setHidden(tab, true);
  // After the grace each hidden tab has closed its stream (its lists then say they are not live).
  for (const tab of tabs) await expect(live(tab)).toHaveAttribute('data-live', 'false', { timeout: 45_000 });

  const more = [await context.newPage(), await context.newPage()];
  for (const tab of more) {
    await tab.goto('/vms');
    await expect(live(tab)).toHaveAttribute('data-live', 'true');
    await search(tab, name);
  }
  // A change made while the first tab was hidden shows once it is shown again, without a reload of the page.
  const first = tabs[0]!;
  await first.evaluate(() => Object.assign(window, { notReloaded: true }));
  await search(first, name);
  createVm(name, 'team-a', 'Halted');
  for (const tab of more) await expect(row(tab, 'team-a', name)).toHaveCount(1);
  await expect(row(first, 'team-a', name)).toHaveCount(0);
  await setHidden(first, false);
  await expect(live(first)).toHaveAttribute('data-live', 'true');
  await expect(row(first, 'team-a', name)).toHaveCount(1);
  expect(await first.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
});
