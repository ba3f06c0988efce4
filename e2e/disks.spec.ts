import { expect, test, type Locator, type Page } from '@playwright/test';
import { serialShell } from '../sandbox/test/api.ts';
import { docExampleVm } from '../sandbox/test/vm-manifests.ts';
import { createVm, deleteVm, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// The Disks tab, against the sandbox, whose simulator plugs volumes into the running QEMU as KubeVirt 1.6 does
// (addvolume/removevolume; the VMI's volumeStatus says Ready once attached) and grows claims on sandbox-shared, the
// class that allows expansion. The guest is inspected on its serial console: /sys/block/*/size is in 512-byte
// sectors. The sandbox's KubeVirt has the ExpandDisks feature gate on, so a running guest sees a grown claim at once
// (its launcher resizes the disk in QEMU, as virt-handler does).
const ns = 'team-a';
const GiB_SECTORS = (1024 ** 3) / 512;

const diskRow = (page: Page, disk: string) => page.locator(`[data-testid="disk-row"][data-disk="${disk}"]`);
const vmJson = (vm: string) => JSON.parse(kubectl(['get', 'vm', vm, '-n', ns, '-o', 'json']).stdout);

/** The guest's block devices: name → size in sectors and serial (a virtio disk's serial is its volume's name). */
async function blockDevices(vm: string): Promise<Map<string, { size: number; serial: string }>> {
  const shell = await serialShell(ns, vm, { timeoutMs: 90_000 });
  try {
    const out = await shell.run('for d in /sys/block/*; do echo "BLK ${d##*/} $(cat $d/size) $(cat $d/serial 2>/dev/null)"; done; echo E$((1+1))ND', /E2ND/, 20_000);
    return new Map([...out.matchAll(/BLK (\S+) (\d+) ?([^\s]*)/g)].map((m) => [m[1]!, { size: Number(m[2]), serial: m[3] ?? '' }]));
  } finally {
    shell.close();
  }
}

function createClaim(name: string, size = '1Gi'): void {
  const r = kubectl(['create', '-f', '-'], JSON.stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns },
    spec: { storageClassName: 'sandbox-shared', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: size } } },
  }));
  expect(r.status, r.stderr).toBe(0);
}

async function bound(claim: string): Promise<void> {
  await expect.poll(() => kubectl(['get', 'pvc', claim, '-n', ns, '-o', 'jsonpath={.status.phase}']).stdout, { timeout: 30_000 }).toBe('Bound');
}

/** docExampleVm with one more disk on a claim: virtio, or hot-pluggable on SCSI as the portal adds them. */
function vmWithClaim(vm: string, claim: string, disk: string, runStrategy: string, hotplug = false): void {
  const m = docExampleVm(vm, ns, runStrategy) as unknown as { spec: { template: { spec: { volumes: object[]; domain: { devices: { disks: object[] } } } } } };
  m.spec.template.spec.domain.devices.disks.push({ name: disk, disk: { bus: hotplug ? 'scsi' : 'virtio' } });
  m.spec.template.spec.volumes.push({ name: disk, persistentVolumeClaim: { claimName: claim, ...(hotplug ? { hotpluggable: true } : {}) } });
  const r = kubectl(['create', '-f', '-'], JSON.stringify(m));
  expect(r.status, r.stderr).toBe(0);
}

function cleanUp(vm: string, claims: string[] = []): void {
  deleteVm(vm, ns);
  for (const c of claims) kubectl(['delete', 'pvc', c, '-n', ns, '--wait=false', '--ignore-not-found']);
}

test('dev-a hot-plugs a new 1Gi disk into a running VM from the page, the guest sees it; unplugged, it is gone', async ({ page }) => {
  test.setTimeout(300_000);
  const vm = uniqueName('e2e-hot');
  createVm(vm, ns, 'Always');
  try {
    await waitForStatus(vm, ns, 'Running', 90_000);
    const before = await blockDevices(vm);
    await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
    await page.getByTestId('tab-disks').click();
    await expect(page.getByTestId('disks-note')).toHaveAttribute('data-running', 'true');
    await expect(diskRow(page, 'containerdisk').getByTestId('disk-volume')).toHaveAttribute('data-kind', 'containerDisk');
    await expect(diskRow(page, 'cloudinitdisk').getByTestId('disk-volume')).toHaveAttribute('data-kind', 'cloudInitNoCloud');

    await page.getByTestId('disks-add').click();
    const dialog = page.getByTestId('add-disk-dialog');
    await expect(dialog.getByTestId('add-disk-when')).toContainText('hot-plugged into the running guest');
    await dialog.getByTestId('add-disk-name').fill('hotdata');
    await dialog.getByTestId('add-disk-size').fill('1Gi');
    await dialog.getByTestId('add-disk-class').selectOption('sandbox-shared');
    // Block: the guest's device is the claim itself, exactly the size asked for (CDI adds its file-system overhead
    // to a Filesystem claim).
    await dialog.getByTestId('add-disk-volume-mode').selectOption('Block');
    await dialog.getByTestId('add-disk-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('toast-success')).toContainText('hotdata');

    // The page follows it to the guest: attaching, then in the guest once KubeVirt reports the volume Ready.
    const row = diskRow(page, 'hotdata');
    await expect(row.getByTestId('disk-guest')).toHaveAttribute('data-state', 'attached', { timeout: 90_000 });
    await expect(row.getByTestId('disk-hotplug')).toHaveAttribute('data-hotplug', 'true');
    await expect(row.getByTestId('disk-hotplug')).toHaveAttribute('data-phase', 'Ready');
    await expect(row.getByTestId('disk-volume')).toHaveAttribute('data-kind', 'dataVolume');
    await expect(row.getByTestId('disk-class')).toContainText('sandbox-shared');
    await expect(row.getByTestId('disk-storage')).toContainText('Block');
    await expect(row.getByTestId('disk-size')).toHaveAttribute('data-capacity', /^(1Gi|1073741824)$/);

    // In the VM's spec, hot-pluggable, on the SCSI bus; its DataVolume belongs to the VM.
    const spec = vmJson(vm).spec.template.spec;
    expect(spec.volumes).toContainEqual({ name: 'hotdata', dataVolume: { name: `${vm}-hotdata`, hotpluggable: true } });
    expect(spec.domain.devices.disks).toContainEqual(expect.objectContaining({ name: 'hotdata', disk: { bus: 'scsi' } }));
    const dv = JSON.parse(kubectl(['get', 'datavolume', `${vm}-hotdata`, '-n', ns, '-o', 'json']).stdout);
    expect(dv.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'VirtualMachine', name: vm })]);

    // The guest has one new block device, of 1 GiB.
    let added = '';
    await expect
      .poll(async () => {
        const fresh = [...(await blockDevices(vm))].filter(([d]) => !before.has(d));
        added = fresh[0]?.[0] ?? '';
        return fresh.map(([, d]) => d.size);
      }, { timeout: 60_000, intervals: [2000] })
      .toEqual([GiB_SECTORS]);

    // Unplugged from the page: the row goes, the VM's spec no longer has it, and neither has the guest.
    await row.getByTestId('disk-remove').click();
    const confirm = page.getByTestId('remove-disk-dialog');
    await expect(confirm).toContainText(`${vm}-hotdata`);
    await confirm.getByTestId('remove-disk-submit').click();
    await expect(row).toHaveCount(0, { timeout: 60_000 });
    expect(vmJson(vm).spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain('hotdata');
    await expect.poll(async () => (await blockDevices(vm)).has(added), { timeout: 60_000, intervals: [2000] }).toBe(false);
    // Its claim stays, with its data (it goes with the VM).
    expect(kubectl(['get', 'pvc', `${vm}-hotdata`, '-n', ns, '-o', 'name']).status).toBe(0);
  } finally {
    cleanUp(vm);
  }
});

test('dev-a grows a sandbox-shared claim from the page; the running guest sees the new size (ExpandDisks)', async ({ page }) => {
  test.setTimeout(300_000);
  const vm = uniqueName('e2e-grow');
  const claim = `${vm}-data`;
  createClaim(claim, '1Gi');
  try {
    await bound(claim);
    vmWithClaim(vm, claim, 'datadisk', 'Always');
    await waitForStatus(vm, ns, 'Running', 90_000);
    const guestSize = async () => [...(await blockDevices(vm)).values()].find((d) => d.serial === 'datadisk')?.size;
    expect(await guestSize()).toBe(GiB_SECTORS);

    await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
    await page.getByTestId('tab-disks').click();
    const row = diskRow(page, 'datadisk');
    await expect(row.getByTestId('disk-size')).toHaveAttribute('data-capacity', '1Gi');
    await expect(row.getByTestId('disk-volume')).toHaveAttribute('data-kind', 'persistentVolumeClaim');
    await expect(row.getByTestId('disk-hotplug')).toHaveAttribute('data-hotplug', 'false');
    await expect(row.getByTestId('disk-guest')).toHaveAttribute('data-state', 'attached');

    await row.getByTestId('disk-expand').click();
    const dialog = page.getByTestId('expand-disk-dialog');
    // Only bigger: the dialog says so before anything is sent.
    await dialog.getByTestId('expand-disk-size').fill('512Mi');
    await expect(dialog.getByTestId('expand-disk-error')).toBeVisible();
    await dialog.getByTestId('expand-disk-size').fill('2Gi');
    await expect(dialog.getByTestId('expand-disk-error')).toHaveCount(0);
    await expect(dialog.getByTestId('expand-disk-guest-note')).toContainText('restart');
    await dialog.getByTestId('expand-disk-submit').click();
    await expect(dialog).toHaveCount(0);

    // The claim grows (the sandbox's resizer is quick, so the progress may pass unseen), then the row says when the
    // running guest sees it: after a restart, or at once where ExpandDisks is on (the portal cannot read the gate).
    await expect(row.getByTestId('disk-size')).toHaveAttribute('data-capacity', '2Gi', { timeout: 60_000 });
    await expect(row.getByTestId('disk-resize')).toHaveCount(0);
    await expect(row.getByTestId('disk-guest-size')).toHaveAttribute('data-state', 'restart');
    expect(kubectl(['get', 'pvc', claim, '-n', ns, '-o', 'jsonpath={.spec.resources.requests.storage}']).stdout).toBe('2Gi');

    // No restart: the guest's virtio disk grows under it.
    await expect.poll(guestSize, { timeout: 60_000, intervals: [2000] }).toBe(2 * GiB_SECTORS);
    expect(JSON.parse(kubectl(['get', 'vmi', vm, '-n', ns, '-o', 'json']).stdout).status.phase).toBe('Running');
  } finally {
    cleanUp(vm, [claim]);
  }
});

test('on a stopped VM an existing claim goes into the spec and waits for the next start', async ({ page }) => {
  test.setTimeout(180_000);
  const vm = uniqueName('e2e-cold');
  const claim = `${vm}-spare`;
  createClaim(claim, '1Gi');
  createVm(vm, ns, 'Halted');
  try {
    await bound(claim);
    await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
    await page.getByTestId('tab-disks').click();
    await expect(page.getByTestId('disks-note')).toHaveAttribute('data-running', 'false');
    await page.getByTestId('disks-add').click();
    const dialog = page.getByTestId('add-disk-dialog');
    await expect(dialog.getByTestId('add-disk-when')).toContainText('not running');
    await dialog.getByTestId('add-disk-source-claim').check();
    await dialog.getByTestId('add-disk-claim').selectOption(claim);
    await dialog.getByTestId('add-disk-name').fill('spare');
    await dialog.getByTestId('add-disk-submit').click();
    await expect(dialog).toHaveCount(0);

    const row = diskRow(page, 'spare');
    await expect(row.getByTestId('disk-guest')).toHaveAttribute('data-state', 'notRunning', { timeout: 30_000 });
    await expect(row.getByTestId('disk-volume')).toHaveAttribute('data-kind', 'persistentVolumeClaim');
    await expect.poll(() => vmJson(vm).spec.template.spec.volumes, { timeout: 30_000 }).toContainEqual({ name: 'spare', persistentVolumeClaim: { claimName: claim, hotpluggable: true } });
  } finally {
    cleanUp(vm, [claim]);
  }
});

test('viewer sees the Disks tab read-only, every change disabled with the reason, and the routes answer 403', async ({ page }) => {
  test.setTimeout(120_000);
  const vm = uniqueName('e2e-view');
  const claim = `${vm}-data`;
  createClaim(claim, '1Gi');
  try {
    await bound(claim);
    vmWithClaim(vm, claim, 'data', 'Halted', true);
    await signIn(page, 'viewer', `/vms/${ns}/${vm}`);
    await page.getByTestId('tab-disks').click();
    const row = diskRow(page, 'data');
    await expect(row.getByTestId('disk-size')).toHaveAttribute('data-capacity', '1Gi');

    const reasonOf = async (button: Locator) => page.locator(`[id="${await button.getAttribute('aria-describedby')}"]`);
    const add = page.getByTestId('disks-add');
    await expect(add).toHaveAttribute('aria-disabled', 'true');
    await expect(await reasonOf(add)).toHaveText('You are not allowed to update virtualmachines/addvolume in this namespace.');
    const remove = row.getByTestId('disk-remove');
    await expect(remove).toHaveAttribute('aria-disabled', 'true');
    await expect(await reasonOf(remove)).toHaveText('You are not allowed to update virtualmachines/removevolume in this namespace.');
    const expand = row.getByTestId('disk-expand');
    await expect(expand).toHaveAttribute('aria-disabled', 'true');
    await expect(await reasonOf(expand)).toHaveText('You are not allowed to patch persistentvolumeclaims in this namespace.');
    // A disabled button opens nothing.
    await add.click({ force: true }); // aria-disabled: Playwright would wait for it to be enabled
    await remove.click({ force: true });
    await expand.click({ force: true });
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // The routes themselves refuse the viewer, as the API server does: 403 in the error shape, and nothing changes.
    const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin };
    const base = `/api/vms/${ns}/${vm}/disks`;
    const before = JSON.stringify(vmJson(vm).spec.template.spec.volumes);
    for (const res of [
      await page.request.post(base, { data: { source: 'blank', name: 'more', size: '1Gi' }, headers }),
      await page.request.post(base, { data: { source: 'claim', name: 'more', claim }, headers }),
      await page.request.delete(`${base}/data`, { headers }),
      await page.request.patch(`${base}/data`, { data: { size: '2Gi' }, headers }),
    ]) {
      expect(res.status(), await res.text()).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Not allowed to/) });
    }
    expect(JSON.stringify(vmJson(vm).spec.template.spec.volumes)).toBe(before);
    expect(kubectl(['get', 'datavolume', `${vm}-more`, '-n', ns, '-o', 'name']).status).not.toBe(0);
    expect(kubectl(['get', 'pvc', claim, '-n', ns, '-o', 'jsonpath={.spec.resources.requests.storage}']).stdout).toBe('1Gi');
  } finally {
    cleanUp(vm, [claim]);
  }
});
