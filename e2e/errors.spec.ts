import { expect, test } from '@playwright/test';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { row, signIn } from './support/portal';

// Acceptance 4: an action the API server refuses shows the API server's reason. KubeVirt refuses to restart a VM
// whose runStrategy is Once with 409; the portal's menu leaves that rule to the API server.
const name = uniqueName('e2e-once');

test.beforeAll(async () => {
  createVm(name, 'team-a', 'Once');
  await waitForStatus(name, 'team-a', 'Running');
});
test.afterAll(() => deleteVm(name, 'team-a'));

test('a 409 from the API server is shown with its reason', async ({ page }) => {
  await signIn(page, 'dev-a');
  await page.getByTestId('vm-search').fill(name);
  const r = row(page, 'team-a', name);
  await expect(r.getByTestId('vm-status')).toHaveAttribute('data-status', 'Running');
  await r.getByTestId('vm-actions').click();
  await page.getByTestId('action-restart').click();
  const toast = page.getByTestId('toast-error');
  await expect(toast).toBeVisible();
  await expect(toast).toContainText(`Restart failed for ${name}`);
  await expect(toast).toContainText('RunStategy Once does not support manual restart requests');
  await expect(toast).toContainText('The API server said:');
});
