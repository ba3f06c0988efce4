import { expect, test } from '@playwright/test';
import { holdScripts } from './support/hold-scripts';

// The sign-in button starts the identity provider's flow from a click handler, which exists only once the page's
// script has run. Before that the server's HTML shows the button, and a click on it would do nothing at all (a slow
// network, a busy machine): it is disabled until it works, and a start that fails says so instead of doing nothing.

test('the sign-in button is disabled until the page can act on it, then a click reaches the identity provider', async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto('/signin?callbackUrl=%2Fvms', { waitUntil: 'commit' });
  const button = page.getByTestId('sign-in');
  await expect(button).toBeVisible();
  await expect(button).toBeDisabled();
  await release();
  await button.click();
  await page.waitForURL(/\/dex\//, { timeout: 30_000 });
});

test('a sign-in that cannot be started says so, and the button tries again', async ({ page }) => {
  await page.goto('/signin?callbackUrl=%2Fvms');
  await page.route('**/api/auth/signin/**', (route) => route.abort('connectionrefused'));
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('sign-in-failed')).toContainText('could not be started');
  await page.unroute('**/api/auth/signin/**');
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/dex\//, { timeout: 30_000 });
});
