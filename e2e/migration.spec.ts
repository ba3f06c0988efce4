import { expect, test, type Page } from '@playwright/test';
import YAML from 'yaml';
import { createVm, deleteVm, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// Issue 15: live migration from the VM's page, with the serial console open through it; cancelling one in flight;
// Migrate disabled, with KubeVirt's reason in plain words, for a VM on a ReadWriteOnce disk. As the cluster admin:
// since KubeVirt 1.5 no default role includes migrate (kubevirt.io:migrate is bound explicitly), and the sandbox's
// team editors have no such binding.
const ns = 'team-a';

const migrationsOf = (vm: string): { phase?: string }[] =>
  (JSON.parse(kubectl(['get', 'vmim', '-n', ns, '-o', 'json']).stdout).items as { spec: { vmiName: string }; status?: { phase?: string } }[])
    .filter((m) => m.spec.vmiName === vm)
    .map((m) => ({ phase: m.status?.phase }));
const nodeOf = (vm: string) => kubectl(['get', 'vmi', vm, '-n', ns, '-o', 'jsonpath={.status.nodeName}']).stdout;
const terminalText = (page: Page) => page.getByTestId('serial-console').locator('.xterm-rows').innerText();

async function shellPrompt(page: Page, vm: string): Promise<void> {
  await page.getByTestId('serial-console').locator('.xterm-helper-textarea').focus();
  await expect
    .poll(async () => {
      await page.keyboard.press('Enter');
      return terminalText(page);
    }, { timeout: 60_000, intervals: [1000] })
    .toContain(`root@${vm}`);
}

async function migrateFromMenu(page: Page): Promise<void> {
  await page.getByTestId('vm-actions').click();
  await page.getByTestId('action-migrate').click();
  await page.getByTestId('migrate-submit').click();
}

test('a migration from the page moves the VM, and the open serial console follows it to the same guest', async ({ page }) => {
  test.setTimeout(240_000);
  const vm = uniqueName('e2e-mig');
  createVm(vm, ns, 'Always');
  try {
    await waitForStatus(vm, ns, 'Running', 90_000);
    await expect.poll(() => kubectl(['get', 'vmi', vm, '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="LiveMigratable")].status}']).stdout, { timeout: 60_000 }).toBe('True');
    const before = nodeOf(vm);
    await signIn(page, 'admin', `/vms/${ns}/${vm}`);
    // The console, in its own window (a page of its own), stays open while the VM page migrates it.
    const consolePage = await page.context().newPage();
    await consolePage.goto(`/vms/${ns}/${vm}/console`);
    await expect(consolePage.getByTestId('console-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await shellPrompt(consolePage, vm);
    await consolePage.keyboard.type('export MARK=before-$((6*7))\n');

    await page.getByTestId('tab-migrations').click();
    await migrateFromMenu(page);
    const timeline = page.getByTestId('migration-timeline');
    await expect(page.getByTestId('migration-phase')).toHaveAttribute('data-phase', 'Succeeded', { timeout: 90_000 });
    await expect(page.getByTestId('migration-source')).toContainText(before);
    // The VMI names its new node when its controller next writes it, which may be just after the migration's end.
    await expect.poll(() => nodeOf(vm), { timeout: 30_000 }).not.toBe(before);
    const after = nodeOf(vm);
    await expect(page.getByTestId('migration-target')).toContainText(after);
    await expect(timeline).toBeVisible();

    // The console reconnects by itself to the guest on its new node: the variable set before is still there.
    await expect(consolePage.getByTestId('console-state')).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
    // Typed again on each try: "connected" and the prompt may still be the old connection's, and what is typed while
    // the console reconnects goes nowhere.
    await shellPrompt(consolePage, vm);
    await expect
      .poll(async () => {
        await consolePage.keyboard.type('echo MARK=$MARK=\n');
        return terminalText(consolePage);
      }, { timeout: 60_000, intervals: [2000] })
      .toContain('MARK=before-42=');
    await expect(page.getByTestId('migration-history')).toBeVisible();
  } finally {
    deleteVm(vm, ns);
  }
});

test('a migration cancelled in flight leaves the VM running on its node', async ({ page }) => {
  test.setTimeout(240_000);
  const vm = uniqueName('e2e-mig-x');
  const policy = `e2e-slow-${vm}`;
  // A real MigrationPolicy that holds this VM's migration to 1 MiB/s, so there is time to cancel it.
  const applied = kubectl(['apply', '-f', '-'], YAML.stringify({
    apiVersion: 'migrations.kubevirt.io/v1alpha1',
    kind: 'MigrationPolicy',
    metadata: { name: policy },
    spec: { bandwidthPerMigration: '1Mi', selectors: { virtualMachineInstanceSelector: { 'kubevirt.io/domain': vm } } },
  }));
  expect(applied.status, applied.stderr).toBe(0);
  createVm(vm, ns, 'Always');
  try {
    await waitForStatus(vm, ns, 'Running', 90_000);
    await expect.poll(() => kubectl(['get', 'vmi', vm, '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="LiveMigratable")].status}']).stdout, { timeout: 60_000 }).toBe('True');
    const before = nodeOf(vm);
    await signIn(page, 'admin', `/vms/${ns}/${vm}`);
    await page.getByTestId('tab-migrations').click();
    await migrateFromMenu(page);
    await expect(page.getByTestId('migration-phase')).toHaveAttribute('data-phase', 'Running', { timeout: 60_000 });
    await page.getByTestId('migration-cancel').click();
    await page.getByTestId('confirm-submit').click();
    // No migration left in flight, and the VM where it was, running.
    await expect.poll(() => migrationsOf(vm).filter((m) => !['Succeeded', 'Failed'].includes(m.phase ?? '')), { timeout: 60_000 }).toEqual([]);
    expect(migrationsOf(vm).map((m) => m.phase)).not.toContain('Succeeded');
    expect(nodeOf(vm)).toBe(before);
    await waitForStatus(vm, ns, 'Running', 30_000);
  } finally {
    deleteVm(vm, ns);
    kubectl(['delete', 'migrationpolicy', policy, '--ignore-not-found']);
  }
});

test('a VM on a ReadWriteOnce disk shows Migrate disabled with the reason', async ({ page }) => {
  test.setTimeout(180_000);
  const vm = uniqueName('e2e-rwo');
  const manifest = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm, namespace: ns },
    spec: {
      runStrategy: 'Always',
      dataVolumeTemplates: [
        {
          metadata: { name: `${vm}-rootdisk` },
          spec: {
            sourceRef: { kind: 'DataSource', namespace: 'kubevirt-os-images', name: 'tinylinux' },
            storage: { storageClassName: 'sandbox-local', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        },
      ],
      template: {
        spec: {
          domain: { devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] }, memory: { guest: '128Mi' } },
          networks: [{ name: 'default', pod: {} }],
          volumes: [{ name: 'rootdisk', dataVolume: { name: `${vm}-rootdisk` } }],
        },
      },
    },
  };
  expect(kubectl(['create', '-f', '-'], JSON.stringify(manifest)).status).toBe(0);
  try {
    await waitForStatus(vm, ns, 'Running', 120_000);
    await expect.poll(() => kubectl(['get', 'vmi', vm, '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="LiveMigratable")].status}']).stdout, { timeout: 60_000 }).toBe('False');
    await signIn(page, 'admin', `/vms/${ns}/${vm}`);
    await page.getByTestId('vm-actions').click();
    const item = page.getByTestId('action-migrate');
    await expect(item).toBeDisabled();
    await expect(item.getByTestId('action-reason')).toContainText(`${vm}-rootdisk`);
    await expect(item.getByTestId('action-reason')).toContainText(/ReadWriteMany/);
  } finally {
    deleteVm(vm, ns);
  }
});
