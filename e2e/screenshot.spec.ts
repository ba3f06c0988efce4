import { expect, test } from '@playwright/test';
import { signIn } from './support/portal';

// The README's picture of the VM list, taken from the real portal against the sandbox
// (UPDATE_SCREENSHOT=1 npm run test:e2e -- e2e/screenshot.spec.ts).
test('screenshot of the VM list for the README', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByTestId('vm-row').first()).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  // Only refreshed on request, so a test run does not change tracked files.
  await page.screenshot({ path: process.env.UPDATE_SCREENSHOT ? 'docs/screenshot.png' : test.info().outputPath('vm-list.png') });
});
