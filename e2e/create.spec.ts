import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import YAML from 'yaml';
import { serialShell } from '../sandbox/test/api.ts';
import { deleteVm, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { serveImage } from './support/image-server';
import { row, search, signIn } from './support/portal';
import { next, toReview, fillBasics, fillSource, fillSize, fillCloudInit } from './support/wizard';

// Issue 10: requesting a VM in the browser, against the sandbox, as dev-a. Every VM a test makes is removed after it.
const ns = 'team-a';
const made: { ns: string; name: string }[] = [];
const track = (name: string, namespace = ns) => (made.push({ ns: namespace, name }), name);

test.afterAll(() => {
  for (const m of made) deleteVm(m.name, m.ns);
});

function sshKey(): { pub: string } {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-key-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dev-a@e2e', '-f', join(dir, 'id')]);
    return { pub: readFileSync(join(dir, 'id.pub'), 'utf8').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const exists = (kind: string, name: string, namespace = ns) => kubectl(['get', kind, name, '-n', namespace, '-o', 'name']).status === 0;

async function submit(page: Page, namespace: string, name: string): Promise<void> {
  await expect(page.getByTestId('dry-run-ok')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('create-submit').click();
  await page.waitForURL(`**/vms/${namespace}/${name}`, { timeout: 30_000 });
}

test('the wizard makes a DataSource VM of an instance type with an SSH key and user-data, started, and the guest has them', async ({ page }) => {
  const name = track(uniqueName('wiz'));
  const key = sshKey();
  await signIn(page, 'dev-a');
  // The list's Create button, shown because dev-a may create VMs in team-a.
  await page.getByTestId('create-vm').click();
  await page.waitForURL('**/vms/create**');
  await toReview(page, {
    namespace: ns,
    name,
    source: { kind: 'dataSource', namespace: 'kubevirt-os-images', name: 'tinylinux' },
    instancetype: 'u1.nano',
    sshKeys: [key.pub],
    user: 'dev',
    userData: '#cloud-config\nwrite_files:\n  - path: /etc/portal-e2e\n    content: "made by the wizard"\n',
  });
  // The review shows the exact manifests, and what they add to the quota.
  await expect(page.getByTestId('manifests')).toContainText('kind: VirtualMachine');
  await expect(page.getByTestId('manifests')).toContainText(`name: ${name}-cloud-init`);
  await expect(page.getByTestId('quota-team-quota-requests.memory')).toBeVisible();
  // A marker that survives only if the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await submit(page, ns, name);

  await page.getByRole('link', { name: /Back to the list/ }).click();
  await search(page, name);
  await expect(row(page, ns, name).getByTestId('vm-status')).toHaveAttribute('data-status', 'Running', { timeout: 90_000 });
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  // The cloud-init Secret is owned by the VM.
  const secret = JSON.parse(kubectl(['get', 'secret', `${name}-cloud-init`, '-n', ns, '-o', 'json']).stdout);
  expect(secret.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'VirtualMachine', name })]);

  const shell = await serialShell(ns, name);
  const out = await shell.run(`echo HOST=$(hostname)=; cat /home/dev/.ssh/authorized_keys; cat /etc/portal-e2e; echo; echo E$((1+1))ND`, /E2ND/, 30_000);
  shell.close();
  expect(out).toContain(`HOST=${name}=`);
  expect(out).toContain(key.pub);
  expect(out).toContain('made by the wizard');
});

test('a container disk, an http import with its progress, and a clone of a PVC each boot', async ({ page }) => {
  test.setTimeout(300_000);
  const image = await serveImage({ sizeMiB: 48, seconds: 8 });
  const cd = track(uniqueName('wiz-cd'));
  const imported = track(uniqueName('wiz-http'));
  const cloned = track(uniqueName('wiz-pvc'));
  // A claim of dev-a's own to clone: filled from the golden image by CDI.
  const base = uniqueName('base');
  kubectl(['create', '-f', '-'], JSON.stringify({
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: base, namespace: ns },
    spec: { sourceRef: { kind: 'DataSource', namespace: 'kubevirt-os-images', name: 'tinylinux' }, storage: { resources: { requests: { storage: '1Gi' } } } },
  }));
  try {
    await signIn(page, 'dev-a', `/vms/create?namespace=${ns}`);
    await toReview(page, { name: cd, source: { kind: 'containerDisk', image: 'quay.io/containerdisks/tinylinux:1.0' } });
    await submit(page, ns, cd);

    await page.goto(`/vms/create?namespace=${ns}`);
    await toReview(page, { name: imported, source: { kind: 'http', url: image.url }, rootSize: '1Gi' });
    await submit(page, ns, imported);
    // The VM's page follows the import phase by phase, in percent.
    const disk = page.getByTestId(`provision-${imported}-rootdisk`);
    await expect(disk).toHaveAttribute('data-state', 'inProgress', { timeout: 30_000 });
    await expect(page.getByTestId(`provision-${imported}-rootdisk-phase`)).toContainText(/ImportInProgress · \d+/);
    await expect(page.getByTestId('provisioning')).toBeHidden({ timeout: 60_000 });
    expect(image.requests()).toBeGreaterThan(0);

    await expect.poll(() => kubectl(['get', 'pvc', base, '-n', ns, '-o', 'jsonpath={.status.phase}']).stdout, { timeout: 60_000 }).toBe('Bound');
    await expect.poll(() => kubectl(['get', 'dv', base, '-n', ns, '-o', 'jsonpath={.status.phase}']).stdout, { timeout: 60_000 }).toBe('Succeeded');
    await page.goto(`/vms/create?namespace=${ns}`);
    await toReview(page, { name: cloned, source: { kind: 'pvc', namespace: ns, name: base } });
    await submit(page, ns, cloned);

    for (const vm of [cd, imported, cloned]) await waitForStatus(vm, ns, 'Running', 120_000);
    const shell = await serialShell(ns, imported);
    const os = await shell.run('grep PRETTY_NAME /mnt/*/os-release /etc/os-release 2>/dev/null; echo E$((1+1))ND', /E2ND/, 30_000);
    shell.close();
    expect(os).toMatch(/Tiny Linux/);
  } finally {
    await image.close();
    kubectl(['delete', 'dv', base, '-n', ns, '--ignore-not-found']);
  }
});

test('invalid inputs are refused in the form and nothing is created', async ({ page }) => {
  test.setTimeout(240_000);
  const name = uniqueName('wiz-bad');
  const taken = track(uniqueName('wiz-taken'));
  kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: taken, namespace: ns }, spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} , resources: { requests: { memory: '128Mi' } } } } } } }));
  await signIn(page, 'dev-a', `/vms/create?namespace=${ns}`);

  // A bad name: said as typed, and Next does not move on.
  await fillBasics(page, { name: 'Not_A-Name' });
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('error-create-name')).toBeVisible();
  await expect(page.getByTestId('create-step-heading')).toHaveText(/name/i);
  // A taken name, before submit.
  await page.getByTestId('create-name').fill(taken);
  await expect(page.getByTestId('create-name-taken')).toBeVisible();
  await page.getByTestId('create-name').fill(name);
  await next(page);
  await fillSource(page, { kind: 'dataSource', namespace: 'kubevirt-os-images', name: 'tinylinux' });
  await next(page);
  // An impossible size.
  await fillSize(page, { name, custom: { cpu: 1, memory: '2Ti' } });
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('error-create-size-memory')).toBeVisible();
  // Over the namespace's remaining quota (32Gi of memory in team-a): allowed by the form, refused at review.
  await page.getByTestId('create-memory').fill('40Gi');
  await next(page);
  await next(page);
  // An invalid SSH key and broken user-data, each said with where.
  await fillCloudInit(page, { name, sshKeys: ['ssh-ed25519 AAAAnotakey dev@x'], userData: '#cloud-config\nwrite_files:\n  - path: /x\n   content: [unclosed\n' });
  await expect(page.getByTestId('ssh-key-problems')).toContainText(/Line 1:? .*(base64|does not match|Expected)/i);
  await expect(page.getByTestId('user-data-problems')).toContainText(/line \d/i);
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('create-error-summary')).toBeVisible();
  await fillCloudInit(page, { name, sshKeys: [], userData: '' });
  await next(page);
  // Masquerade on a secondary network, and two pod networks.
  await page.getByTestId('add-network').click();
  await page.getByTestId('network-1-source').selectOption(`nad:lab`);
  await page.getByTestId('network-1').locator('input').fill('lab');
  await page.getByTestId('network-1-binding').selectOption('masquerade');
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('error-create-networks-1-binding')).toContainText(/masquerade/i);
  await page.getByTestId('network-1-source').selectOption('pod');
  await page.getByTestId('network-1').locator('input').fill('second');
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('create-error-summary')).toContainText(/pod network/i);
  await page.getByTestId('network-1-source').selectOption(`nad:lab`);
  await page.getByTestId('network-1-binding').selectOption('bridge');
  await next(page);
  await next(page);
  await expect(page.getByTestId('quota-warning')).toBeVisible();
  await expect(page.getByTestId('create-submit')).toBeDisabled();

  for (const kind of ['vm', 'secret', 'dv', 'pvc']) expect(exists(kind, kind === 'vm' ? name : kind === 'secret' ? `${name}-cloud-init` : `${name}-rootdisk`), `${kind} of ${name}`).toBe(false);
});

test('a create the API server refuses part-way leaves nothing behind', async ({ page }) => {
  test.setTimeout(180_000);
  const name = uniqueName('wiz-half');
  const policy = `e2e-deny-${name}`;
  // A real admission policy that lets the dry run through and refuses the real create of the VM's cloud-init
  // Secret: the VM is made first, then refused on its dependent.
  const apply = kubectl(['apply', '-f', '-'], [
    YAML.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policy },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['secrets'] }] },
        validations: [{ expression: `request.dryRun == true || !object.metadata.name.startsWith('${name}-')`, message: 'e2e: this Secret may not be created' }],
      },
    }),
    YAML.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policy },
      spec: { policyName: policy, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } },
    }),
  ].join('---\n'));
  expect(apply.status, apply.stderr).toBe(0);
  try {
    // The policy is in force once it refuses such a Secret (a probe made before that is removed again).
    await expect
      .poll(() => {
        const r = kubectl(['create', 'secret', 'generic', `${name}-probe`, '-n', ns, '--from-literal=a=b']);
        if (r.status === 0) kubectl(['delete', 'secret', `${name}-probe`, '-n', ns]);
        return r.stderr;
      }, { timeout: 30_000 })
      .toContain('e2e: this Secret may not be created');
    await signIn(page, 'dev-a', `/vms/create?namespace=${ns}`);
    await toReview(page, { name, sshKeys: [sshKey().pub] });
    await expect(page.getByTestId('dry-run-ok')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('create-submit').click();
    await expect(page.getByTestId('create-alert')).toContainText('e2e: this Secret may not be created');
    // The VM existed for a moment; it and what it made are gone.
    await expect.poll(() => ['vm', 'dv', 'pvc', 'secret'].filter((k) => exists(k, k === 'vm' ? name : k === 'secret' ? `${name}-cloud-init` : `${name}-rootdisk`)), { timeout: 60_000 }).toEqual([]);
  } finally {
    kubectl(['delete', 'validatingadmissionpolicybinding', policy, '--ignore-not-found']);
    kubectl(['delete', 'validatingadmissionpolicy', policy, '--ignore-not-found']);
    deleteVm(name, ns);
  }
});

test('the review YAML recreates the VM elsewhere; create-from-YAML shows schema errors by line and creates a valid VM', async ({ page }) => {
  test.setTimeout(180_000);
  const name = track(uniqueName('wiz-yaml'));
  const copy = track(uniqueName('wiz-copy'), 'team-b');
  await signIn(page, 'dev-a', `/vms/create?namespace=${ns}`);
  await toReview(page, { name, sshKeys: [sshKey().pub], start: false });
  const yaml = await page.getByTestId('manifests').textContent();
  await submit(page, ns, name);

  // The same manifests applied by an admin to another namespace, the VM renamed.
  const docs = YAML.parseAllDocuments(yaml ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string } });
  for (const d of docs) {
    d.metadata.namespace = 'team-b';
    if (d.kind === 'VirtualMachine') d.metadata.name = copy;
  }
  const applied = kubectl(['create', '-f', '-'], docs.map((d) => YAML.stringify(d)).join('---\n'));
  expect(applied.status, applied.stderr).toBe(0);
  kubectl(['delete', 'secret', `${name}-cloud-init`, '-n', 'team-b', '--ignore-not-found', '--wait=false']);
  // The firmware UUID is KubeVirt's own, one per VM (derived from its name): the rest must be the same.
  const spec = (n: string, where: string) => {
    const s = JSON.parse(kubectl(['get', 'vm', n, '-n', where, '-o', 'json']).stdout).spec;
    delete s.template.spec.domain.firmware?.uuid;
    return s;
  };
  expect(spec(copy, 'team-b')).toEqual(spec(name, ns));

  // Create from YAML: a schema error is placed on its line; fixed, the VM is created.
  const fromYaml = track(uniqueName('yaml'));
  await page.goto('/vms/create/yaml');
  await expect(page.getByTestId('yaml-editor')).toBeVisible();
  const text = [
    'apiVersion: kubevirt.io/v1',
    'kind: VirtualMachine',
    'metadata:',
    `  name: ${fromYaml}`,
    'spec:',
    '  runStrategy: Sometimes',
    '  template:',
    '    spec:',
    '      domain:',
    '        devices: {}',
    '        memory: { guest: 128Mi }',
    '      volumes:',
    '        - name: containerdisk',
    '          containerDisk: { image: quay.io/containerdisks/tinylinux:1.0 }',
    '',
  ].join('\n');
  await replaceEditorText(page, text);
  await expect(page.getByTestId('yaml-problems')).toContainText(/line 6/i, { timeout: 15_000 });
  await replaceEditorText(page, text.replace('runStrategy: Sometimes', 'runStrategy: Halted'));
  await expect(page.getByTestId('yaml-no-problems')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('yaml-create').click();
  await page.waitForURL(`**/vms/${ns}/${fromYaml}`, { timeout: 30_000 });
  expect(exists('vm', fromYaml)).toBe(true);
});

async function replaceEditorText(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('yaml-editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText: one input event, as a paste, so the editor's auto-indent does not reshape the lines.
  await page.keyboard.insertText(text);
}

test('viewer has no way to create, and the create route refuses viewer with 403', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByTestId('vm-count')).toBeVisible();
  await expect(page.getByTestId('create-vm')).toHaveCount(0);
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const form = {
    namespace: ns,
    name: uniqueName('viewer'),
    bootSource: { kind: 'containerDisk', image: 'quay.io/containerdisks/tinylinux:1.0' },
    size: { kind: 'instancetype', instancetype: 'u1.nano' },
    rootDisk: { size: '1Gi' },
  };
  const res = await page.request.post('/api/vms/create', { data: { source: 'form', form }, headers: { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('forbidden');
  expect(exists('vm', form.name)).toBe(false);
});
