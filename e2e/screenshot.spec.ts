import { expect, test } from '@playwright/test';
import { signIn } from './support/portal';

// The README's picture of the VM list, taken from the real portal against the sandbox.
test('screenshot of the VM list for the README', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByTestId('vm-row').first()).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-live', 'true');
  await page.screenshot({ path: 'docs/screenshot.png' });
});
