import { expect, test } from '@playwright/test';
import { createVm, editableNamespaceDocs, kubectl, kubectlOk, uniqueName } from './support/cluster';
import { row, search, signIn } from './support/portal';

// The portal remembers for 30 s where a user may work. A namespace taken from them inside that time (their binding
// removed, or the namespace deleted) used to fail their whole VM list with a 403 until the memory ran out; now the
// refusal clears it and the list comes back without that namespace.
const ns = uniqueName('e2e-gone');
const vm = uniqueName('e2e-gone-vm');
const mine = uniqueName('e2e-gone-mine');

test.beforeAll(() => {
  kubectlOk(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: editableNamespaceDocs(ns, 'dev-a'),
  }));
  createVm(vm, ns);
  createVm(mine, 'team-a');
});

test.afterAll(() => {
  kubectl(['delete', 'vm', mine, '-n', 'team-a', '--ignore-not-found', '--wait=false']);
  kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
});

test('a namespace taken from the user while the portal remembers it: the list comes back without it', async ({ page }) => {
  await signIn(page, 'dev-a');
  const offered = async () => ((await (await page.request.get('/api/namespaces')).json()) as { namespaces?: string[] }).namespaces ?? [];
  // Wait until the portal's memory of dev-a's namespaces holds the new one (it may predate it by up to 30 s).
  await expect.poll(async () => (await offered()).includes(ns), { timeout: 45_000 }).toBe(true);
  await page.reload();
  await search(page, 'e2e-gone');
  await expect(row(page, ns, vm)).toBeVisible();

  kubectlOk(['delete', 'rolebinding', 'dev-a-edit', '-n', ns]);
  // The API server's authorizer learns of the delete from its own informer, a moment after the delete returns.
  await expect
    .poll(() => kubectl(['auth', 'can-i', 'list', 'virtualmachines.kubevirt.io', '-n', ns, '--as', 'dev-a']).stdout.trim(), { timeout: 10_000, intervals: [100] })
    .toBe('no');
  // Then, well inside the portal's 30 s: a list planned from the remembered namespaces meets the refusal.
  const res = await page.request.get('/api/list?resource=virtualmachines');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { lists: Record<string, unknown> };
  expect(Object.keys(body.lists)).not.toContain(ns);
  expect(Object.keys(body.lists)).toContain('team-a');
  expect(await offered()).not.toContain(ns);

  await page.reload();
  await search(page, 'e2e-gone');
  await expect(row(page, 'team-a', mine)).toBeVisible();
  await expect(row(page, ns, vm)).toHaveCount(0);
  await expect(page.locator('[data-live="true"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-live-error]')).toHaveCount(0);
});
