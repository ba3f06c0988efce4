import { expect, type Page } from '@playwright/test';

// Signing in the way a person does: the portal's sign-in button, then the identity provider's own login page.
export async function signIn(page: Page, user: 'dev-a' | 'dev-b' | 'viewer' | 'admin', next = '/vms'): Promise<void> {
  await page.goto(next);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByTestId('sign-in').click();
  // Dex's login page (its local password connector asks for the e-mail address), served from the portal's origin.
  await page.waitForURL(/\/dex\//);
  expect(new URL(page.url()).origin).toBe(new URL(process.env.PORTAL_URL ?? 'http://localhost:3000').origin);
  await page.locator('input[name="login"]').fill(`${user}@sandbox.test`);
  await page.locator('input[name="password"]').fill(user);
  await page.locator('button[type="submit"], #submit-login').first().click();
  await page.waitForURL((url) => (url.pathname + url.search).startsWith(next), { timeout: 30_000 });
  await expect(page.getByTestId('current-user')).toContainText(user);
}

export function row(page: Page, namespace: string, name: string) {
  return page.locator(`[data-testid="vm-row"][data-vm="${namespace}/${name}"]`);
}

// Narrows the list to one VM, so it is in the virtualized window whatever else the cluster holds.
export async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('vm-search').fill(text);
}

// Records every status a VM's row shows, so a test can assert the sequence (Starting, then Running) without
// sampling gaps, and also that the page was never reloaded.
export async function recordStatuses(page: Page, namespace: string, name: string): Promise<void> {
  await page.evaluate(
    ({ key }) => {
      const w = window as unknown as { __statuses: string[]; __noReload: boolean };
      w.__statuses = [];
      w.__noReload = true;
      const read = () => {
        const s = document.querySelector(`[data-testid="vm-row"][data-vm="${key}"] [data-testid="vm-status"]`)?.getAttribute('data-status');
        if (s && w.__statuses[w.__statuses.length - 1] !== s) w.__statuses.push(s);
      };
      read();
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    },
    { key: `${namespace}/${name}` },
  );
}

export function recordedStatuses(page: Page): Promise<{ statuses: string[]; noReload: boolean }> {
  return page.evaluate(() => {
    const w = window as unknown as { __statuses?: string[]; __noReload?: boolean };
    return { statuses: w.__statuses ?? [], noReload: w.__noReload === true };
  });
}
