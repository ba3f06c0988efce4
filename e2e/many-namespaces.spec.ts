import { expect, test } from '@playwright/test';
import { createVm, deleteVm, editableNamespaceDocs, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { row, search, signIn } from './support/portal';

// Issue 9: a user who may work in many namespaces (an admin on a real cluster has hundreds) still gets working
// menus: the access reviews behind them are batched, not refused for being too many at once.
const run = uniqueName('e2e-many');
const namespaces = Array.from({ length: 40 }, (_, i) => `${run}-${i}`);
const vm = uniqueName('e2e-many-vm');

test.beforeAll(async () => {
  const docs = namespaces.flatMap((ns) => editableNamespaceDocs(ns, 'dev-a'));
  const r = kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
  if (r.status !== 0) throw new Error(r.stderr);
  createVm(vm, 'team-a', 'Always');
  await waitForStatus(vm, 'team-a', 'Running');
});

test.afterAll(() => {
  deleteVm(vm, 'team-a');
  kubectl(['delete', 'namespace', ...namespaces, '--wait=false', '--ignore-not-found']);
});

test('a user with 40 more namespaces gets enabled menus', async ({ page }) => {
  await signIn(page, 'dev-a');
  // The portal caches a user's namespaces briefly: wait until it offers the new ones, then load the list afresh.
  await expect
    .poll(async () => {
      const body = (await (await page.request.get('/api/namespaces')).json()) as { namespaces?: string[] };
      return namespaces.filter((ns) => body.namespaces?.includes(ns)).length;
    }, { timeout: 45_000 })
    .toBe(namespaces.length);
  await page.reload();
  await search(page, vm);
  const r = row(page, 'team-a', vm);
  await expect(r.getByTestId('vm-status')).toHaveAttribute('data-status', 'Running');
  await r.getByTestId('vm-actions').click();
  await expect(page.getByTestId('action-stop')).toHaveAttribute('aria-disabled', 'false');
  await expect(page.getByTestId('action-restart')).toHaveAttribute('aria-disabled', 'false');
});
