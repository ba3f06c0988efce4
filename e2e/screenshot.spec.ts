import { expect, test } from '@playwright/test';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// The README's picture of the VM list, taken from the real portal against the sandbox
// (UPDATE_SCREENSHOT=1 npm run test:e2e -- e2e/screenshot.spec.ts). It makes its own VMs, so that the list is
// never empty on a fresh sandbox.
test('screenshot of the VM list for the README', async ({ page }) => {
  const running = uniqueName('web');
  const stopped = uniqueName('db');
  createVm(running, 'team-a', 'Always');
  createVm(stopped, 'team-a', 'Halted');
  try {
    await waitForStatus(running, 'team-a', 'Running');
    await signIn(page, 'viewer');
    await expect(page.getByTestId('vm-row').first()).toBeVisible();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-live', 'true');
    // Only refreshed on request, so a test run does not change tracked files.
    await page.screenshot({ path: process.env.UPDATE_SCREENSHOT ? 'docs/screenshot.png' : test.info().outputPath('vm-list.png') });
  } finally {
    deleteVm(running, 'team-a');
    deleteVm(stopped, 'team-a');
  }
});
