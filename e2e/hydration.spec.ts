import { expect, test, type Page, type Route } from '@playwright/test';
import { signIn } from './support/portal';

// The controls of a page the server renders (the list's search, the create wizard, the admin's new project, the
// header's) exist before the page's script does. Clicked then, nothing happens; typed into, a field is overwritten
// when the form library takes it over; a submit reloads the page. They are disabled until the script has run, and
// what is typed after that stays.

// Holds back the page's JavaScript (routing also turns the HTTP cache off) until the returned function lets it go.
async function holdScripts(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let holding = true;
  await page.route('**/_next/static/**/*.js', (route) => (holding ? held.push(route) : route.continue()));
  return async () => {
    await expect.poll(() => held.length).toBeGreaterThan(0);
    holding = false;
    for (const route of held.splice(0)) await route.continue();
  };
}

for (const { user, path, field } of [
  { user: 'dev-a' as const, path: '/vms', field: 'vm-search' },
  { user: 'dev-a' as const, path: '/vms/create?namespace=team-a', field: 'create-name' },
  { user: 'admin' as const, path: '/admin/projects/new', field: 'project-name' },
]) {
  test(`${path}: its fields and the header's controls are disabled until the page's script runs`, async ({ page }) => {
    await signIn(page, user, path);
    const release = await holdScripts(page);
    await page.goto(path, { waitUntil: 'commit' });
    const input = page.getByTestId(field);
    await expect(input).toBeVisible();
    await expect(input).toBeDisabled();
    await expect(page.getByTestId('sign-out')).toBeDisabled();
    await expect(page.getByTestId('language-switch')).toBeDisabled();
    await release();
    await input.fill('typed-after-the-script');
    await expect(page.getByTestId('sign-out')).toBeEnabled();
    await expect(input).toHaveValue('typed-after-the-script');
  });
}
