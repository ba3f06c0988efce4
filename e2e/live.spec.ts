import { expect, test } from '@playwright/test';
import { createVm, deleteVm, uniqueName } from './support/cluster';
import { row, signIn } from './support/portal';

// Acceptance 2: a VM created or deleted with kubectl while the page is open appears or disappears within 2 s.
const name = uniqueName('e2e-live');

test.afterAll(() => deleteVm(name, 'team-a'));

test('a VM created and deleted with kubectl appears and disappears within 2 s', async ({ page }) => {
  await signIn(page, 'dev-a');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await page.getByTestId('vm-search').fill(name);
  await expect(page.getByTestId('list-empty')).toBeVisible();

  createVm(name, 'team-a', 'Halted');
  const created = Date.now();
  await expect(row(page, 'team-a', name)).toBeVisible({ timeout: 2_000 });
  const appearedAfter = Date.now() - created;

  deleteVm(name, 'team-a');
  const deleted = Date.now();
  await expect(row(page, 'team-a', name)).toHaveCount(0, { timeout: 2_000 });
  const goneAfter = Date.now() - deleted;
  test.info().annotations.push({ type: 'latency', description: `appeared after ${appearedAfter} ms, gone after ${goneAfter} ms` });
});
