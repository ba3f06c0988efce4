import { expect, test } from '@playwright/test';
import { holdScripts } from './support/hold-scripts';
import { signIn } from './support/portal';

// The controls of a page the server renders (the list's search, the create wizard, the admin's new project, the
// header's) exist before the page's script does. Clicked then, nothing happens; typed into, a field is overwritten
// when the form library takes it over; a submit reloads the page. They are disabled until the script has run, and
// what is typed after that stays.

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
