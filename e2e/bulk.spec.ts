import { expect, test } from '@playwright/test';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { row, signIn } from './support/portal';

// Bulk actions name the VMs they will act on and clear the selection; the keyboard drives the list; deleting a
// running VM asks for its name.
const tag = uniqueName('bulk');
const names = [uniqueName('e2e-bulk'), uniqueName('e2e-bulk')];
const running = uniqueName('e2e-del');

test.beforeAll(async () => {
  for (const n of names) createVm(n, 'team-a', 'Halted', { 'portal-e2e-set': tag });
  createVm(running, 'team-a', 'Always');
  await waitForStatus(running, 'team-a', 'Running');
});
test.afterAll(() => {
  for (const n of [...names, running]) deleteVm(n, 'team-a');
});

test('a bulk confirmation opened before the permissions are known waits for them instead of skipping the VMs', async ({ page }) => {
  await signIn(page, 'dev-a');
  // The page's access reviews are held back, as on a slow API server, until the confirmation is open.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/access', async (route) => {
    await released;
    await route.continue();
  });
  await page.reload();
  await page.getByTestId('filter-label').fill(`portal-e2e-set=${tag}`);
  await expect(page.getByTestId('vm-row')).toHaveCount(2);
  await page.getByRole('checkbox', { name: 'Select all shown VMs' }).check();
  await page.getByTestId('bulk-start').click();

  const dialog = page.getByTestId('bulk-confirm');
  await expect(dialog.getByTestId('bulk-checking')).toContainText(names[0]!);
  await expect(dialog.getByTestId('bulk-confirm-submit')).toBeDisabled();
  release();
  for (const n of names) await expect(dialog.getByTestId('bulk-targets')).toContainText(`team-a/${n}`);
  await expect(dialog.getByTestId('bulk-checking')).toHaveCount(0);
  await expect(dialog.getByTestId('bulk-confirm-submit')).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('keyboard selection, bulk delete with a confirmation naming the VMs, selection cleared', async ({ page }) => {
  await signIn(page, 'dev-a');
  await page.getByTestId('filter-label').fill(`portal-e2e-set=${tag}`);
  await expect(page.getByTestId('vm-row')).toHaveCount(2);

  // Keyboard: focus the grid, Space selects the active row, ArrowDown moves, Space selects the next one.
  await page.getByTestId('vm-grid').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');

  await page.getByTestId('bulk-delete').click();
  const dialog = page.getByTestId('bulk-confirm');
  await expect(dialog).toBeVisible();
  for (const n of names) await expect(dialog.getByTestId('bulk-targets')).toContainText(`team-a/${n}`);
  await dialog.getByTestId('bulk-confirm-submit').click();
  await expect(page.getByTestId('toast-success')).toContainText('2 succeeded, 0 failed');
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await expect(page.getByTestId('vm-row')).toHaveCount(0, { timeout: 10_000 });
});

test('Enter opens the detail page; deleting a running VM needs its name typed', async ({ page }) => {
  await signIn(page, 'dev-a');
  await page.getByTestId('vm-search').fill(running);
  // The list filters a deferred copy of the search: the row shows before the others have gone, and Enter opens
  // whichever row is first.
  await expect(page.getByTestId('vm-row')).toHaveCount(1);
  await expect(row(page, 'team-a', running)).toBeVisible();
  await page.getByTestId('vm-grid').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/vms/team-a/${running}$`));
  await expect(page.getByTestId('detail-node')).not.toHaveText('None');

  await page.getByTestId('vm-actions').click();
  await page.getByTestId('action-delete').click();
  const confirm = page.getByTestId('confirm-action');
  await expect(confirm).toContainText('Type its name');
  await expect(confirm.getByTestId('confirm-submit')).toBeDisabled();
  await confirm.getByTestId('confirm-name').fill('wrong');
  await expect(confirm.getByTestId('confirm-submit')).toBeDisabled();
  await confirm.getByTestId('confirm-name').fill(running);
  await confirm.getByTestId('confirm-submit').click();
  await expect(page.getByTestId('toast-success')).toBeVisible();
  // The page follows the deletion live: Terminating, then gone.
  await expect(page.getByTestId('vm-not-found')).toBeVisible({ timeout: 60_000 });
});
