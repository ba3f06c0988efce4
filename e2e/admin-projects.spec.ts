import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import YAML from 'yaml';
import { guestPids } from '../sandbox/launcher/procs.ts';
import { paths } from '../sandbox/launcher/paths.ts';
import { createVm, kubectl, uniqueName } from './support/cluster';
import { signIn } from './support/portal';
import { toReview, type WizardInput } from './support/wizard';

// The admin area's projects (team namespaces), against the sandbox: an admin makes a project with a quota of two
// VMs and grants dev-b edit; dev-b makes two VMs there and is stopped at the third by the quota, in the form; the
// admin raises the quota and the third is made. The API server's audit log names dev-b for those creates. Deleting
// the project removes its VMs first, then the namespace, until nothing of it is left (no Terminating namespace, no
// QEMU process). dev-a never sees the admin area, and its routes refuse dev-a. The isolate preset and a Pod Security
// level too strict for VMs do what they say.

// A fresh name per run: a namespace's name is only free again once the old one is gone.
const project = uniqueName('team-c');
const strict = uniqueName('e2e-pss');
const vms = [uniqueName('c1'), uniqueName('c2'), uniqueName('c3')];
const image = { kind: 'containerDisk' as const, image: 'quay.io/containerdisks/tinylinux:1.0' };

const ns = (name: string) => kubectl(['get', 'namespace', name, '-o', 'json']);
const quotaOf = (namespace: string) => JSON.parse(kubectl(['get', 'resourcequota', 'project-quota', '-n', namespace, '-o', 'json']).stdout || '{}') as { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string>; used?: Record<string, string> } };
const VM_COUNT = 'count/virtualmachines.kubevirt.io';

// Whatever a failed run left behind goes: VMs first (so KubeVirt can take its finalizers off), then the namespaces.
test.afterAll(() => {
  for (const name of [project, strict]) {
    kubectl(['delete', 'vm', '--all', '-n', name, '--ignore-not-found', '--wait=false']);
    kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']);
  }
});

async function signedIn(browser: Browser, user: 'admin' | 'dev-a' | 'dev-b', next: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user, next);
  return page;
}

async function csrf(page: Page): Promise<Record<string, string>> {
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  return { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin };
}

async function createVmAs(page: Page, namespace: string, name: string): Promise<void> {
  await page.goto(`/vms/create?namespace=${namespace}`);
  await toReview(page, { namespace, name, source: image, instancetype: 'u1.nano' } satisfies WizardInput);
}

test.describe.serial('a project from the admin area', () => {
  test('admin creates it with a quota of 2 VMs and dev-b as editor; dev-b is held to the quota in the form until the admin raises it', async ({ browser }) => {
    test.setTimeout(300_000);
    const admin = await signedIn(browser, 'admin', '/vms');
    await admin.getByTestId('nav-admin').click();
    await admin.waitForURL('**/admin/projects');
    await expect(admin.getByTestId('projects-table')).toBeVisible();
    // The sandbox's teams are projects too, with their quota's usage.
    await expect(admin.locator('[data-testid="project-row"][data-name="team-a"]').getByTestId(`usage-${VM_COUNT}`)).toBeVisible();

    await admin.getByTestId('project-new').click();
    await admin.waitForURL('**/admin/projects/new');
    await admin.getByTestId('project-name').fill(project);
    await admin.getByTestId('add-member').click();
    await admin.getByTestId('project-members-0-name').fill('dev-b');
    await admin.getByTestId('project-members-0-role').selectOption('edit');
    await admin.getByTestId('project-quota-virtualMachines').fill('2');
    await expect(admin.getByTestId('pss-warning')).toHaveCount(0);

    // The manifests are shown before anything is applied, and download as one YAML file.
    const manifests = admin.getByTestId('project-manifests');
    await expect(manifests).toContainText('kind: Namespace');
    await expect(manifests).toContainText(`pod-security.kubernetes.io/enforce: privileged`);
    await expect(manifests).toContainText('kubevirt.io:edit');
    await expect(manifests).toContainText(VM_COUNT);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('project-manifests-download').click()]);
    expect(download.suggestedFilename()).toBe(`${project}.yaml`);
    const file = await download.path();
    const docs = YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      `Namespace/${project}`,
      'RoleBinding/portal-kubevirt-edit',
      'RoleBinding/portal-edit',
      'ResourceQuota/project-quota',
    ]);
    expect(ns(project).status).not.toBe(0);

    await admin.getByTestId('project-create').click();
    await admin.waitForURL(`**/admin/projects/${project}`, { timeout: 30_000 });
    await expect(admin.getByTestId('project-page')).toBeVisible();
    const bindings = JSON.parse(kubectl(['get', 'rolebindings', '-n', project, '-o', 'json']).stdout) as { items: { metadata: { name: string }; roleRef: { name: string }; subjects: { kind: string; name: string }[] }[] };
    expect(bindings.items.map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((s) => `${s.kind}/${s.name}`).join()]).sort()).toEqual([
      ['portal-edit', 'edit', 'User/dev-b'],
      ['portal-kubevirt-edit', 'kubevirt.io:edit', 'User/dev-b'],
    ]);
    // The quota admission refuses everything until the quota controller has filled in the quota's status.
    await expect.poll(() => quotaOf(project).status?.hard?.[VM_COUNT], { timeout: 30_000 }).toBe('2');

    // dev-b now sees the project and makes two VMs in it.
    const devB = await signedIn(browser, 'dev-b', `/vms/create?namespace=${project}`);
    for (const vm of vms.slice(0, 2)) {
      await createVmAs(devB, project, vm);
      await expect(devB.getByTestId('dry-run-ok')).toBeVisible({ timeout: 30_000 });
      await devB.getByTestId('create-submit').click();
      await devB.waitForURL(`**/vms/${project}/${vm}`, { timeout: 30_000 });
    }
    await expect.poll(() => quotaOf(project).status?.used?.[VM_COUNT], { timeout: 30_000 }).toBe('2');

    // The third is refused in the form, before anything is sent to be created.
    await createVmAs(devB, project, vms[2]!);
    await expect(devB.getByTestId('quota-warning')).toBeVisible();
    await expect(devB.getByTestId('quota-warning')).toContainText('does not fit in the namespace');
    await expect(devB.getByTestId(`quota-project-quota-${VM_COUNT}`)).toHaveAttribute('data-fits', 'false');
    await expect(devB.getByTestId('create-submit')).toBeDisabled();
    expect(kubectl(['get', 'vm', vms[2]!, '-n', project, '-o', 'name']).status).not.toBe(0);

    // The admin raises the quota to 3 on the project's page.
    await admin.reload();
    const quota = admin.getByTestId('edit-quota');
    await quota.getByTestId('project-quota-virtualMachines').fill('3');
    await quota.getByTestId('preview-quota').click();
    await expect(quota.getByTestId('manifests-quota')).toContainText(`${VM_COUNT}: "3"`);
    await quota.getByTestId('save-quota').click();
    await expect(quota.getByTestId('saved-quota')).toHaveText('Saved');
    expect(quotaOf(project).spec?.hard?.[VM_COUNT]).toBe('3');
    await expect.poll(() => quotaOf(project).status?.hard?.[VM_COUNT], { timeout: 30_000 }).toBe('3');
    // Someone else's objects are never touched by an edit: the bindings are as they were.
    expect(kubectl(['get', 'rolebindings', '-n', project, '-o', 'name']).stdout.trim().split('\n').sort()).toEqual([
      'rolebinding.rbac.authorization.k8s.io/portal-edit',
      'rolebinding.rbac.authorization.k8s.io/portal-kubevirt-edit',
    ]);

    // Now the create works.
    await createVmAs(devB, project, vms[2]!);
    await expect(devB.getByTestId('quota-warning')).toHaveCount(0);
    await expect(devB.getByTestId('dry-run-ok')).toBeVisible({ timeout: 30_000 });
    await devB.getByTestId('create-submit').click();
    await devB.waitForURL(`**/vms/${project}/${vms[2]}`, { timeout: 30_000 });

    // The list shows the project with its usage and dev-b as editor.
    await admin.goto('/admin/projects');
    const row = admin.locator(`[data-testid="project-row"][data-name="${project}"]`);
    await expect(row.locator('[data-testid="member"][data-member="User/dev-b"]')).toHaveAttribute('data-role', 'edit');
    await expect(row.getByTestId(`usage-${VM_COUNT}`)).toHaveAttribute('data-hard', '3');
    await devB.context().close();
    await admin.context().close();
  });

  test('the API server\'s audit log records the VM creations in the project as dev-b', async () => {
    const log = resolve(process.env.SANDBOX_STATE_DIR ?? '.sandbox', 'logs', 'audit.log');
    expect(existsSync(log), log).toBe(true);
    interface AuditEvent {
      stage?: string;
      verb?: string;
      requestURI?: string;
      user?: { username?: string };
      objectRef?: { resource?: string; namespace?: string; name?: string };
      responseStatus?: { code?: number };
    }
    const creates = () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.includes(project))
        .map((l) => {
          try {
            return JSON.parse(l) as AuditEvent;
          } catch {
            return {} as AuditEvent;
          }
        })
        .filter((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.resource === 'virtualmachines' && e.objectRef.namespace === project && !e.requestURI?.includes('dryRun'));
    await expect.poll(() => creates().filter((e) => e.responseStatus?.code === 201).map((e) => e.objectRef?.name).sort(), { timeout: 15_000 }).toEqual([...vms].sort());
    // The sandbox maps the ID token's preferred_username without a prefix: RBAC and the audit log both say dev-b.
    for (const e of creates().filter((x) => x.responseStatus?.code === 201)) expect(e.user?.username).toBe('dev-b');
  });

  test('deleting the project lists what goes, deletes its VMs first and then the namespace, until nothing is left', async ({ browser }) => {
    test.setTimeout(300_000);
    // Its VMs run (QEMU processes of this sandbox) before the deletion.
    await expect.poll(() => guestPids(paths.vms, `${project}_`).length, { timeout: 120_000 }).toBe(3);
    const admin = await signedIn(browser, 'admin', `/admin/projects/${project}`);
    await admin.getByTestId('project-delete').click();
    const dialog = admin.getByTestId('delete-project');
    await expect(dialog.getByTestId('delete-vm')).toHaveCount(3);
    for (const vm of vms) await expect(dialog.locator(`[data-testid="delete-vm"][data-name="${vm}"]`)).toBeVisible();
    await expect(dialog.getByTestId('delete-submit')).toBeDisabled();
    await dialog.getByTestId('delete-confirm-name').fill(project.slice(0, -1));
    await expect(dialog.getByTestId('delete-submit')).toBeDisabled();
    await dialog.getByTestId('delete-confirm-name').fill(project);
    await dialog.getByTestId('delete-submit').click();

    const progress = admin.getByTestId('delete-progress');
    await expect(progress).toBeVisible();
    await expect(progress).toHaveAttribute('data-state', 'gone', { timeout: 240_000 });
    await expect(admin.getByTestId('delete-done')).toBeVisible();
    // Gone, not Terminating; and no QEMU process of its VMs is left.
    const gone = ns(project);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
    await expect.poll(() => guestPids(paths.vms, `${project}_`), { timeout: 60_000 }).toEqual([]);
    await admin.goto('/admin/projects');
    await expect(admin.getByTestId('projects-table')).toBeVisible();
    await expect(admin.locator(`[data-testid="project-row"][data-name="${project}"]`)).toHaveCount(0);
    await admin.context().close();
  });
});

test('dev-a does not see the admin area: no entry, "not allowed" on its pages, 403 from its routes', async ({ page }) => {
  await signIn(page, 'dev-a');
  await expect(page.getByTestId('vm-count')).toBeVisible();
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  for (const url of ['/admin', '/admin/projects', '/admin/projects/new', '/admin/projects/team-a', '/admin/networks', '/admin/cluster']) {
    await page.goto(url);
    const denied = page.getByTestId('not-allowed');
    await expect(denied, url).toBeVisible();
    await expect(denied).toContainText('Not allowed');
    await expect(page.getByTestId('admin-area')).toHaveCount(0);
    await expect(page.getByTestId('project-form')).toHaveCount(0);
  }

  expect(await (await page.request.get('/api/admin/access')).json()).toMatchObject({ admin: false });
  const headers = await csrf(page);
  const form = { name: uniqueName('dev-a'), members: [{ kind: 'User', name: 'dev-a', role: 'admin' }], quota: {}, podSecurity: 'privileged' };
  const calls = [
    page.request.get('/api/admin/projects'),
    page.request.post('/api/admin/projects', { data: { form }, headers }),
    page.request.get('/api/admin/projects/team-a'),
    page.request.patch('/api/admin/projects/team-a', { data: { part: 'quota', quota: { virtualMachines: 1000 } }, headers }),
    page.request.delete('/api/admin/projects/team-a', { data: { confirm: 'team-a' }, headers }),
  ];
  for (const res of await Promise.all(calls)) {
    expect(res.status(), res.url()).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  }
  expect(ns(form.name).status).not.toBe(0);
  expect(ns('team-a').status).toBe(0);
});

test('the isolate preset makes its NetworkPolicy, the Pod Security label is set, and a level too strict for VMs is warned about and then refuses the VM\'s start', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'admin', '/admin/projects/new');
  await page.getByTestId('project-name').fill(strict);
  await page.getByTestId('project-network-isolate').check();
  await page.getByTestId('pss-restricted').click();
  const warning = page.getByTestId('pss-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('VMs will not start in this project');
  await page.getByTestId('pss-privileged').click();
  await expect(warning).toHaveCount(0);
  await page.getByTestId('pss-restricted').click();
  await expect(page.getByTestId('project-manifests')).toContainText('pod-security.kubernetes.io/enforce: restricted');
  await expect(page.getByTestId('project-manifests')).toContainText('name: portal-isolate');
  // Applied anyway.
  await page.getByTestId('project-create').click();
  await page.waitForURL(`**/admin/projects/${strict}`, { timeout: 30_000 });
  await expect(page.getByTestId('pss-level')).toHaveAttribute('data-level', 'restricted');

  const policy = kubectl(['get', 'networkpolicy', '-n', strict, '-o', 'yaml']);
  expect(policy.status, policy.stderr).toBe(0);
  const items = (YAML.parse(policy.stdout) as { items: { metadata: { name: string }; spec: Record<string, unknown> }[] }).items;
  expect(items.map((i) => i.metadata.name)).toEqual(['portal-isolate']);
  expect(items[0]!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
  const labels = (JSON.parse(ns(strict).stdout) as { metadata: { labels: Record<string, string> } }).metadata.labels;
  expect(labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'portal.kubevirt.io/team': strict });

  // A VM there: the API server refuses its launcher pod, and the VM's page says so in the API server's words.
  const vm = uniqueName('e2e-pss-vm');
  // The form's default quota is there too: nothing is admitted before the quota controller has filled its status.
  await expect.poll(() => quotaOf(strict).status?.hard?.[VM_COUNT], { timeout: 30_000 }).toBe('20');
  createVm(vm, strict, 'Halted');
  await page.goto(`/vms/${strict}/${vm}`);
  await page.getByTestId('vm-actions').click();
  await page.getByTestId('action-start').click();
  await expect(page.getByTestId('conditions')).toContainText('violates PodSecurity "restricted:latest"', { timeout: 60_000 });
  await expect(page.getByTestId('conditions')).toContainText('FailedCreate');
  expect(guestPids(paths.vms, `${strict}_`)).toEqual([]);
});
