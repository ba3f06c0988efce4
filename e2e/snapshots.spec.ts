import { expect, test, type Page } from '@playwright/test';
import { serialShell } from '../sandbox/test/api.ts';
import { docExampleVm } from '../sandbox/test/vm-manifests.ts';
import { deleteVm, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// The Snapshots tab, Restore and Clone on a VM's page, as dev-a in team-a against the sandbox: a snapshot taken
// from the page brings a changed file back through a restore (stopping the running VM first and starting it after),
// a disk on the class without volume snapshots is shown left out with KubeVirt's reason before and after; a clone
// from the page runs with its own MAC and the source's disk content; the viewer sees the tab read-only with the
// reason, and the routes answer 403. Files in the guest are written and read over its serial console.
const ns = 'team-a';
const vms: string[] = [];
const claims = new Set<string>();
const track = (name: string) => (vms.push(name), name);

const json = (args: string[]) => {
  const r = kubectl(['get', ...args, '-n', ns, '-o', 'json']);
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
};

function claim(storageClassName: string, accessModes: string[]): string {
  const name = uniqueName('e2e-disk');
  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns }, spec: { storageClassName, accessModes, volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } } };
  const r = kubectl(['create', '-f', '-'], JSON.stringify(pvc));
  if (r.status !== 0) throw new Error(`kubectl create pvc ${name}: ${r.stderr}`);
  claims.add(name);
  return name;
}

/** KubeVirt's documentation example with data disks on claims; the guest mounts the first at /mnt/datadisk. */
function createVmWithDisks(name: string, disks: { name: string; claim: string }[], opts: { runStrategy?: string; mac?: string } = {}): void {
  const vm = docExampleVm(name, ns, opts.runStrategy ?? 'Always');
  vm.metadata.labels = { ...vm.metadata.labels, 'portal-e2e': 'true' };
  const spec = vm.spec.template.spec as unknown as { domain: { devices: { disks: object[]; interfaces: { macAddress?: string }[] } }; volumes: object[] };
  for (const d of disks) {
    spec.domain.devices.disks.push({ name: d.name, disk: { bus: 'virtio' } });
    spec.volumes.push({ name: d.name, persistentVolumeClaim: { claimName: d.claim } });
  }
  if (opts.mac) spec.domain.devices.interfaces[0]!.macAddress = opts.mac;
  const r = kubectl(['create', '-f', '-'], JSON.stringify(vm));
  if (r.status !== 0) throw new Error(`kubectl create vm ${name}: ${r.stderr}`);
}

const claimOf = (vm: string, volume: string): string =>
  (json(['vm', vm])?.spec?.template?.spec?.volumes ?? []).find((v: { name: string }) => v.name === volume)?.persistentVolumeClaim?.claimName ?? '';
const macOf = (vm: string): string => json(['vmi', vm])?.status?.interfaces?.[0]?.mac ?? '';
// Generous: software-emulated guests on a busy machine.
const guest = (vm: string, hostname = vm) => serialShell(ns, vm, { hostname, timeoutMs: 120_000 });
const MOUNTED = 'until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done';

async function readFile(vm: string, hostname = vm): Promise<string> {
  const shell = await guest(vm, hostname);
  try {
    const out = await shell.run(`${MOUNTED}; echo content=$(cat /mnt/datadisk/file)=end`, /content=\w*=end\r?\n/, 90_000);
    return /content=(\w*)=end/.exec(out)?.[1] ?? '';
  } finally {
    shell.close();
  }
}

async function writeFile(vm: string, text: string): Promise<void> {
  const shell = await guest(vm);
  try {
    await shell.run(`${MOUNTED}; echo ${text} > /mnt/datadisk/file; sync; echo wrote=$((40+2))`, /wrote=42\r?\n/, 90_000);
  } finally {
    shell.close();
  }
}

/** The signed-in page's CSRF token, for calling the portal's routes as the page does. */
async function csrf(page: Page): Promise<{ 'x-csrf-token': string; origin: string }> {
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  return { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin };
}

test.afterAll(() => {
  // Restores and clones make claims of their own that nothing owns: they go with the test's.
  for (const name of vms) for (const v of json(['vm', name])?.spec?.template?.spec?.volumes ?? []) if (v.persistentVolumeClaim) claims.add(v.persistentVolumeClaim.claimName);
  for (const name of vms) deleteVm(name, ns);
  const mine = (o: { spec?: { source?: { name?: string }; target?: { name?: string } } }) => vms.includes(o.spec?.source?.name ?? '') || vms.includes(o.spec?.target?.name ?? '');
  for (const kind of ['vmrestore', 'vmclone', 'vmsnapshot']) {
    for (const o of json([kind])?.items ?? []) if (mine(o)) kubectl(['delete', kind, o.metadata.name, '-n', ns, '--wait=false', '--ignore-not-found']);
  }
  for (const c of claims) kubectl(['delete', 'pvc', c, '-n', ns, '--wait=false', '--ignore-not-found']);
});

test('a snapshot from the page, a changed file, a restore with the stop-first offer: the original content is back; the local disk is left out with the reason', async ({ page }) => {
  test.setTimeout(600_000);
  const shared = claim('sandbox-shared', ['ReadWriteMany']);
  const local = claim('sandbox-local', ['ReadWriteOnce']);
  const vm = track(uniqueName('e2e-snap'));
  createVmWithDisks(vm, [
    { name: 'datadisk', claim: shared },
    { name: 'scratch', claim: local },
  ]);
  await waitForStatus(vm, ns, 'Running', 120_000);
  await writeFile(vm, 'before');

  await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
  await page.getByTestId('tab-snapshots').click();
  // Before any snapshot: what one would hold, and KubeVirt's reason for the disk it would leave out, in words.
  const plan = page.getByTestId('snapshot-plan');
  const planScratch = plan.locator('[data-testid="excluded-volume"][data-volume="scratch"]');
  await expect(planScratch).toContainText('sandbox-local', { timeout: 30_000 });
  await expect(planScratch).toContainText('has no volume snapshot class');
  await expect(plan.getByTestId('snapshot-plan-included')).toContainText('datadisk');
  await expect(page.getByTestId('snapshots-none')).toBeVisible();

  // Take one from the page, with a description.
  const snap = `${vm}-before`;
  await page.getByTestId('snapshot-take').click();
  const take = page.getByTestId('take-snapshot-dialog');
  await expect(take.getByTestId('snapshot-name')).toHaveValue(new RegExp(`^${vm}-snapshot-`));
  await take.getByTestId('snapshot-name').fill(snap);
  await take.getByTestId('snapshot-description').fill('e2e: before the change');
  await take.getByTestId('snapshot-submit').click();
  await expect(take).toBeHidden();
  const row = page.locator(`[data-testid="snapshot-row"][data-snapshot="${snap}"]`);
  await expect(row).toHaveAttribute('data-phase', 'Succeeded', { timeout: 120_000 });
  await expect(row).toHaveAttribute('data-ready', 'true');
  await expect(row.getByTestId('snapshot-description')).toHaveText('e2e: before the change');
  await expect(row.getByTestId('snapshot-included')).toHaveText('datadisk');
  await expect(row.getByTestId('snapshot-indications')).toContainText('Taken while the VM was running.');
  await expect(row.getByTestId('snapshot-size')).toHaveText('1 GiB');
  await expect(row.locator('[data-testid="excluded-volume"][data-volume="scratch"]')).toContainText('sandbox-local');
  const made = json(['vmsnapshot', snap]);
  expect(made.spec.source).toEqual({ apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: vm });
  expect(made.metadata.annotations.description).toBe('e2e: before the change');

  await writeFile(vm, 'after');
  expect(await readFile(vm)).toBe('after');

  // Restore from the page: the confirmation names the disk it replaces and, as the VM runs, offers to stop it.
  await row.getByTestId('snapshot-restore').click();
  const confirm = page.getByTestId('restore-dialog');
  await expect(confirm.locator('[data-testid="restore-replaced"][data-volume="datadisk"]')).toContainText(shared);
  await expect(confirm.getByTestId('restore-kept')).toContainText('scratch');
  await expect(confirm.getByTestId('restore-running')).toBeVisible();
  await expect(confirm.getByTestId('restore-submit')).toBeDisabled();
  await confirm.getByTestId('restore-stop-first').check();
  await expect(confirm.getByTestId('restore-start-after')).toBeChecked();
  await confirm.getByTestId('restore-submit').click();
  await expect(confirm).toBeHidden();

  // Progress, live from the VirtualMachineRestore, to its end; then the page starts the VM again.
  const progress = page.getByTestId('restore-progress');
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveAttribute('data-step', 'complete', { timeout: 180_000 });
  await expect(progress.getByTestId('restore-result')).toHaveAttribute('data-complete', 'true');
  await expect(progress).toHaveAttribute('data-start', 'started', { timeout: 60_000 });
  await waitForStatus(vm, ns, 'Running', 120_000);
  await expect(progress.locator('[data-testid="restore-step"][data-step="running"]')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const restore = await progress.getAttribute('data-restore');
  const r = json(['vmrestore', restore ?? '']);
  expect(r.spec).toMatchObject({ target: { name: vm }, virtualMachineSnapshotName: snap, targetReadinessPolicy: 'WaitEventually' });
  expect(r.status.complete).toBe(true);
  await expect(page.locator(`[data-testid="restore-row"][data-restore="${restore}"]`)).toHaveAttribute('data-step', 'complete');

  // The disk is a new claim made from the snapshot, and holds what it held then; the local disk is the same one.
  expect(claimOf(vm, 'datadisk')).not.toBe(shared);
  expect(claimOf(vm, 'scratch')).toBe(local);
  expect(await readFile(vm)).toBe('before');

  // After the snapshot and the restore, the local disk is still shown left out, with the reason.
  await expect(planScratch).toContainText('has no volume snapshot class');
  await expect(row.locator('[data-testid="excluded-volume"][data-volume="scratch"]')).toContainText('sandbox-local');

  // Delete the snapshot, after a confirmation.
  await row.getByTestId('snapshot-delete').click();
  await page.getByTestId('delete-snapshot-dialog').getByTestId('confirm-submit').click();
  await expect(row).toHaveCount(0, { timeout: 60_000 });
  await expect.poll(() => kubectl(['get', 'vmsnapshot', snap, '-n', ns, '-o', 'name']).status, { timeout: 60_000 }).not.toBe(0);
});

test('a clone from the page runs with its own MAC and the source\'s disk content', async ({ page }) => {
  test.setTimeout(600_000);
  const shared = claim('sandbox-shared', ['ReadWriteMany']);
  const source = track(uniqueName('e2e-clsrc'));
  // A fixed MAC on the source: the clone must not get the same one.
  const sourceMac = '02:e2:e0:00:00:01';
  createVmWithDisks(source, [{ name: 'datadisk', claim: shared }], { mac: sourceMac });
  await waitForStatus(source, ns, 'Running', 120_000);
  await writeFile(source, 'original');

  await signIn(page, 'dev-a', `/vms/${ns}/${source}`);
  const target = track(`${source}-copy`);
  await page.getByTestId('vm-clone').click();
  const dialog = page.getByTestId('clone-dialog');
  await expect(dialog.getByTestId('clone-name')).toHaveValue(`${source}-clone`);
  // A name that is not a DNS-1123 label is refused before anything is sent.
  await dialog.getByTestId('clone-name').fill('Not_A_Name');
  await expect(dialog.getByTestId('clone-submit')).toBeDisabled();
  await dialog.getByTestId('clone-name').fill(target);
  await dialog.getByTestId('clone-submit').click();

  const progress = dialog.getByTestId('clone-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-phase', 'Succeeded', { timeout: 240_000 });
  const link = dialog.getByTestId('clone-target-link');
  await expect(link).toBeVisible({ timeout: 30_000 });
  await waitForStatus(target, ns, 'Running', 180_000);

  // Its own MAC (KubeVirt generates new ones for a clone), its own disk, the source's content on it.
  expect(macOf(source)).toBe(sourceMac);
  const cloneMac = macOf(target);
  expect(cloneMac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  expect(cloneMac).not.toBe(sourceMac);
  expect(json(['vm', target]).spec.template.spec.domain.devices.interfaces[0].macAddress).toBeUndefined();
  expect(claimOf(target, 'datadisk')).not.toBe(shared);
  // The clone keeps the source's cloud-init user-data, which names the guest's host after the source.
  expect(await readFile(target, source)).toBe('original');

  await link.click();
  await page.waitForURL(`**/vms/${ns}/${target}`);
  await expect(page.getByTestId('vm-name')).toHaveText(`${ns}/${target}`);
  await expect(page.getByTestId('vm-status').first()).toHaveAttribute('data-status', 'Running');
});

test('the viewer sees the tab read-only with the reason, and the routes answer 403', async ({ page }) => {
  test.setTimeout(180_000);
  const vm = track(uniqueName('e2e-snapv'));
  createVmWithDisks(vm, [], { runStrategy: 'Halted' });
  await waitForStatus(vm, ns, 'Stopped', 60_000);
  // A snapshot made behind the portal's back, so the viewer has a row to look at.
  const snap = `${vm}-snap`;
  const made = kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: snap, namespace: ns }, spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: vm } } }));
  expect(made.status, made.stderr).toBe(0);
  await expect.poll(() => json(['vmsnapshot', snap])?.status?.phase, { timeout: 60_000 }).toBe('Succeeded');

  await signIn(page, 'viewer', `/vms/${ns}/${vm}`);
  await expect(page.getByTestId('vm-clone')).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByTestId('vm-clone')).toHaveAttribute('title', 'You are not allowed to create virtualmachineclones in this namespace.');
  await page.getByTestId('tab-snapshots').click();
  await expect(page.getByTestId('snapshots-readonly')).toContainText('You are not allowed to create virtualmachinesnapshots in this namespace.');
  const row = page.locator(`[data-testid="snapshot-row"][data-snapshot="${snap}"]`);
  await expect(row).toHaveAttribute('data-phase', 'Succeeded');
  for (const button of [page.getByTestId('snapshot-take'), row.getByTestId('snapshot-restore'), row.getByTestId('snapshot-clone'), row.getByTestId('snapshot-delete')]) {
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAttribute('title', /^You are not allowed to (create|delete) virtualmachine(snapshots|restores|clones) in this namespace\.$/);
  }
  // A click on a disabled entry opens nothing (forced: Playwright waits for an aria-disabled button to be enabled).
  await page.getByTestId('snapshot-take').click({ force: true });
  await expect(page.getByTestId('take-snapshot-dialog')).toHaveCount(0);

  // The routes, called as the page would, refuse with the API server's 403 in the error shape.
  const headers = await csrf(page);
  const base = `/api/vms/${ns}/${vm}`;
  const answers = [
    await page.request.post(`${base}/snapshots`, { headers, data: { name: `${vm}-by-viewer` } }),
    await page.request.delete(`${base}/snapshots/${snap}`, { headers, data: {} }),
    await page.request.post(`${base}/restores`, { headers, data: { snapshot: snap } }),
    await page.request.post(`${base}/clones`, { headers, data: { target: `${vm}-by-viewer` } }),
  ];
  for (const res of answers) {
    expect(res.status(), await res.text()).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('Not allowed to') });
  }
  // Nothing was made or removed.
  expect(kubectl(['get', 'vmsnapshot', snap, '-n', ns, '-o', 'name']).status).toBe(0);
  expect(kubectl(['get', 'vmsnapshot', `${vm}-by-viewer`, '-n', ns, '-o', 'name']).status).not.toBe(0);
  expect(kubectl(['get', 'vm', `${vm}-by-viewer`, '-n', ns, '-o', 'name']).status).not.toBe(0);
});
