import { expect, test } from '@playwright/test';
import { VM_ACTIONS } from '../lib/kubevirt/actions';
import { createVm, deleteVm, uniqueName } from './support/cluster';
import { row, signIn } from './support/portal';

// Acceptance 3: dev-b does not see team-a's VMs and a team-a VM's URL says "not allowed"; viewer's actions are
// disabled and say why.
const vmA = uniqueName('e2e-acc');

test.beforeAll(() => createVm(vmA, 'team-a', 'Halted'));
test.afterAll(() => deleteVm(vmA, 'team-a'));

test('dev-b cannot list team-a and gets a clear "not allowed" page for a team-a VM', async ({ page }) => {
  await signIn(page, 'dev-b');
  await expect(page.getByTestId('vm-count')).toBeVisible();
  await page.getByTestId('vm-search').fill(vmA);
  await expect(page.getByTestId('list-empty')).toBeVisible();
  for (const ns of await page.getByTestId('vm-namespace').allTextContents()) expect(ns).not.toBe('team-a');
  await page.getByTestId('vm-search').fill('');
  for (const ns of await page.getByTestId('vm-namespace').allTextContents()) expect(ns).toBe('team-b');

  await page.goto(`/vms/team-a/${vmA}`);
  const denied = page.getByTestId('not-allowed');
  await expect(denied).toBeVisible();
  await expect(denied).toContainText('Not allowed');
  await expect(denied).toContainText(`team-a/${vmA}`);
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
});

test('viewer sees team-a but every action is disabled with the reason', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.getByTestId('vm-search').fill(vmA);
  const r = row(page, 'team-a', vmA);
  await expect(r).toBeVisible();
  await r.getByTestId('vm-actions').click();
  const items = page.getByRole('menuitem');
  // Every declared action, migrate and cancel-migration included.
  await expect(items).toHaveCount(Object.keys(VM_ACTIONS).length);
  for (const item of await items.all()) {
    await expect(item).toHaveAttribute('aria-disabled', 'true');
    await expect(item.getByTestId('action-reason')).toContainText('You are not allowed to');
  }
  await expect(page.getByTestId('action-start').getByTestId('action-reason')).toHaveText('You are not allowed to update virtualmachines/start in this namespace.');
  // Clicking a disabled entry does nothing: no request, no notification.
  await page.getByTestId('action-start').click({ force: true });
  await expect(page.getByTestId('toast-success')).toHaveCount(0);
  await expect(page.getByTestId('toast-error')).toHaveCount(0);

  // The same on the detail page.
  await page.goto(`/vms/team-a/${vmA}`);
  await page.getByTestId('vm-actions').click();
  await expect(page.getByTestId('action-delete')).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByTestId('action-delete').getByTestId('action-reason')).toHaveText('You are not allowed to delete virtualmachines in this namespace.');
});
