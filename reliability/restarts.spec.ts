import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createVm, deleteVm, kubectl, uniqueName, vmStatus, waitForStatus } from '../e2e/support/cluster';
import { row, search, signIn } from '../e2e/support/portal';
import { sandboxProcess } from './support/sandbox';

// Faults in the middle of use: the API server restarted under an open VM list, and the portal replica carrying an
// open serial console restarted. Two replicas behind the balancer, so the page's requests alternate between them.
test.describe.configure({ mode: 'serial' });

const ns = 'team-a';
const prefix = uniqueName('rel-rs');
const running = `${prefix}-run`;
const fresh = `${prefix}-new`;
const consoleVm = `${prefix}-con`;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  createVm(running, ns, 'Always');
  createVm(consoleVm, ns, 'Always');
  await waitForStatus(running, ns, 'Running', 120_000);
  await waitForStatus(consoleVm, ns, 'Running', 120_000);
});

test.afterAll(() => {
  for (const name of [running, fresh, consoleVm]) deleteVm(name, ns);
});

const indicator = (page: Page) => page.getByRole('status').and(page.getByTestId('live-indicator'));
const statusOf = (page: Page, name: string) => row(page, ns, name).getByTestId('vm-status');

test('the API server restarts under an open VM list: the page says it is reconnecting and is right again within 10 s', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'dev-a');
  await search(page, prefix);
  await expect(indicator(page)).toHaveAttribute('data-live', 'true');
  await expect(statusOf(page, running)).toHaveAttribute('data-status', 'Running');

  await sandboxProcess('stop', 'kube-apiserver');
  // The portal's watches break: the page says so, in a status region, instead of showing stale rows as live.
  await expect(indicator(page)).toHaveAttribute('data-live', 'false', { timeout: 30_000 });
  await expect(indicator(page)).toContainText(/reconnecting|interrupted/i);

  await sandboxProcess('start', 'kube-apiserver');
  const back = Date.now();
  // Changes made while the portal has not yet watched again: a new VM, and a running one stopped.
  createVm(fresh, ns, 'Halted');
  expect(kubectl(['patch', 'vm', running, '-n', ns, '--type=merge', '-p', '{"spec":{"runStrategy":"Halted"}}']).status).toBe(0);
  const left = () => Math.max(1, back + 10_000 - Date.now());

  await expect(indicator(page)).toHaveAttribute('data-live', 'true', { timeout: left() });
  await expect(row(page, ns, fresh)).toBeVisible({ timeout: left() });
  const liveAgain = Date.now() - back;
  // The phase change is the simulator's (it follows the API server again on its own schedule): once the cluster
  // shows it, the page must too, within the same 10 s or, if the cluster is later, promptly after.
  let changed = '';
  await expect.poll(() => (changed = vmStatus(running, ns)), { timeout: 60_000, message: 'the cluster stops the VM' }).not.toBe('Running');
  await expect(statusOf(page, running)).not.toHaveAttribute('data-status', 'Running', { timeout: Math.max(left(), 2_000) });
  await expect.poll(async () => (await statusOf(page, running).getAttribute('data-status')) === vmStatus(running, ns), { timeout: Math.max(left(), 2_000) }).toBe(true);
  const recovery = `live again and the new VM shown ${liveAgain} ms after the API server was back; the cluster showed ${changed} after ${Date.now() - back} ms`;
  console.log(recovery);
  test.info().annotations.push({ type: 'recovery', description: recovery });
});

const terminalText = (page: Page) => page.getByTestId('serial-console').locator('.xterm-rows').innerText();

async function answers(page: Page, marker: string, timeout: number): Promise<void> {
  // "R-" then 42, so the command's own echo does not match.
  await expect
    .poll(
      async () => {
        await page.keyboard.type(`echo ${marker}-$((40+2))\n`);
        return terminalText(page);
      },
      { timeout, intervals: [2000] },
    )
    .toContain(`${marker}-42`);
}

test('the portal replica carrying a serial console restarts: the console reconnects by itself and answers', async ({ page, fleet }) => {
  test.setTimeout(240_000);
  await signIn(page, 'dev-a', `/vms/${ns}/${consoleVm}`);
  const before = fleet.routed.length;
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('console-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  const upgrade = fleet.routed.slice(before).findLast((r) => r.kind === 'ws' && r.url.includes(`/${consoleVm}/serial`));
  expect(upgrade, 'the console went through the balancer').toBeDefined();
  await page.getByTestId('serial-console').locator('.xterm-helper-textarea').focus();
  await answers(page, 'BEFORE', 60_000);

  // Every state the console shows from now on (it may be back through the other replica before a poll would see it).
  await page.evaluate(() => {
    const w = window as unknown as { __consoleStates: string[] };
    w.__consoleStates = [];
    const read = () => {
      const s = document.querySelector('[data-testid="console-state"]')?.getAttribute('data-state');
      if (s && w.__consoleStates.at(-1) !== s) w.__consoleStates.push(s);
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
  const states = () => page.evaluate(() => (window as unknown as { __consoleStates: string[] }).__consoleStates);
  const wsBefore = fleet.routed.filter((r) => r.kind === 'ws').length;
  await fleet.restart(upgrade!.replica);
  // Nobody clicks "reconnect": the console comes back by itself, through whichever replica the balancer picks.
  await expect.poll(states, { timeout: 60_000 }).toContain('reconnecting');
  await expect(page.getByTestId('console-state')).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  expect(fleet.routed.filter((r) => r.kind === 'ws').length).toBeGreaterThan(wsBefore);
  await page.getByTestId('serial-console').locator('.xterm-helper-textarea').focus();
  await answers(page, 'AFTER', 60_000);
});
