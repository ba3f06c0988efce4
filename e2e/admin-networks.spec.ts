import { expect, test, type Page } from '@playwright/test';
import { createVm, deleteVm, kubectl, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';
import { formatBytes, parseQuantity } from '../lib/kubevirt/quantity';
import { quotaUnit } from '../lib/kubevirt/quota-usage';

// Shared networks, the cluster view and the developers' quota panel, against the sandbox. Every object a test
// makes is removed after it.

// A wire of this run's own (a bridge no seeded NAD uses, a VLAN and a /24 picked at random), so runs do not meet.
const run = Math.floor(Math.random() * 200);
const bridge = 'br-e2e';
const vlan = 2000 + run * 5;
const subnetOf = (third: number) => `10.${200 + (run % 50)}.${third}.0/24`;
const fixture = uniqueName('e2e-wire');
const made: { ns: string; name: string }[] = [{ ns: 'team-b', name: fixture }];
const track = (ns: string, name: string) => (made.push({ ns, name }), name);

const nadExists = (ns: string, name: string) => kubectl(['get', 'net-attach-def', name, '-n', ns, '-o', 'name']).status === 0;

test.beforeAll(() => {
  // Another namespace's NAD on the wire the tests use: the overlap check must look across namespaces.
  const nad = {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: fixture, namespace: 'team-b' },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: fixture, type: 'bridge', bridge, vlan, ipam: { type: 'whereabouts', range: subnetOf(1) } }) },
  };
  const r = kubectl(['create', '-f', '-'], JSON.stringify(nad));
  if (r.status !== 0) throw new Error(`kubectl create nad: ${r.stderr}`);
});
test.afterAll(() => {
  for (const m of made) kubectl(['delete', 'net-attach-def', m.name, '-n', m.ns, '--ignore-not-found']);
});

interface NadFields {
  namespace: string;
  name: string;
  vlan: string;
  subnet: string;
  rangeStart?: string;
  rangeEnd?: string;
}

async function fillNad(page: Page, f: NadFields): Promise<void> {
  await page.locator('#nad-namespace').selectOption(f.namespace);
  await page.locator('#nad-name').fill(f.name);
  await page.getByTestId('nad-kind-bridge').check();
  await page.locator('#nad-bridge').fill(bridge);
  await page.locator('#nad-vlan').fill(f.vlan);
  await page.getByTestId('nad-ipam-whereabouts').check();
  await page.locator('#nad-ipam-subnet').fill(f.subnet);
  await page.locator('#nad-ipam-rangeStart').fill(f.rangeStart ?? '');
  await page.locator('#nad-ipam-rangeEnd').fill(f.rangeEnd ?? '');
}

/** The same NAD straight to the route, as a script would send it: the server must refuse what the form refuses. */
async function postNad(page: Page, f: NadFields) {
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const nad = { namespace: f.namespace, name: f.name, kind: 'bridge', bridge, vlan: f.vlan, ipam: { kind: 'whereabouts', subnet: f.subnet, rangeStart: f.rangeStart ?? '', rangeEnd: f.rangeEnd ?? '', gateway: '' } };
  return page.request.post('/api/admin/networks', { data: { nad }, headers: { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin } });
}

test('admin: an invalid network is refused with the reason and not saved; a valid one is saved, listed and deleted', async ({ page }) => {
  await signIn(page, 'admin', '/admin/networks');
  await expect(page.getByTestId('networks-page')).toBeVisible();
  // The other namespace's NAD on this wire is followed live before the form is used.
  await expect(page.locator(`[data-testid="nad-row"][data-nad="team-b/${fixture}"]`)).toBeVisible();

  const refused: { fields: NadFields; error: string; says: string; server: RegExp }[] = [
    { fields: { namespace: 'team-a', name: track('team-a', uniqueName('e2e-vlan')), vlan: '4095', subnet: subnetOf(2) }, error: 'error-nad-vlan', says: 'The VLAN ID must be a whole number from 1 to 4094.', server: /VLAN ID must be a whole number from 1 to 4094/ },
    {
      fields: { namespace: 'team-a', name: track('team-a', uniqueName('e2e-out')), vlan: String(vlan), subnet: subnetOf(2), rangeStart: subnetOf(3).replace('.0/24', '.10') },
      error: 'error-nad-ipam-rangeStart',
      says: `Outside the subnet ${subnetOf(2)}`,
      server: /range start is outside the subnet/,
    },
    {
      fields: { namespace: 'team-a', name: track('team-a', uniqueName('e2e-overlap')), vlan: String(vlan), subnet: subnetOf(1), rangeStart: subnetOf(1).replace('.0/24', '.100'), rangeEnd: subnetOf(1).replace('.0/24', '.120') },
      error: 'error-nad-ipam-rangeStart',
      says: `of network team-b/${fixture}`,
      server: new RegExp(`overlaps .* of network team-b/${fixture}`),
    },
  ];
  for (const r of refused) {
    await fillNad(page, r.fields);
    await page.getByTestId('nad-submit').click();
    await expect(page.getByTestId(r.error)).toContainText(r.says);
    // Not sent: the field with the problem has focus and is marked, and nothing was created.
    await expect(page.locator('[aria-invalid="true"]').first()).toBeFocused();
    const res = await postNad(page, r.fields);
    expect(res.status(), r.fields.name).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid');
    expect(body.error.message).toMatch(r.server);
    expect(nadExists(r.fields.namespace, r.fields.name), r.fields.name).toBe(false);
  }

  // Valid: the same bridge and VLAN as the other namespace's NAD, a subnet of its own.
  const ok: NadFields = { namespace: 'team-a', name: track('team-a', uniqueName('e2e-net')), vlan: String(vlan), subnet: subnetOf(2), rangeStart: subnetOf(2).replace('.0/24', '.10'), rangeEnd: subnetOf(2).replace('.0/24', '.99') };
  await fillNad(page, ok);
  const config = { cniVersion: '0.3.1', name: ok.name, type: 'bridge', bridge, vlan, ipam: { type: 'whereabouts', range: ok.subnet, range_start: ok.rangeStart, range_end: ok.rangeEnd } };
  // The CNI config is shown before it is saved, as it will be stored.
  await expect(page.getByTestId('nad-config')).toHaveText(JSON.stringify(config, null, 2));
  await page.getByTestId('nad-submit').click();
  await expect(page.getByTestId('toast-success')).toContainText(`team-a/${ok.name}`);
  const row = page.locator(`[data-testid="nad-row"][data-nad="team-a/${ok.name}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('nad-vlan')).toHaveText(String(vlan));
  const stored = JSON.parse(kubectl(['get', 'net-attach-def', ok.name, '-n', 'team-a', '-o', 'json']).stdout) as { spec: { config: string } };
  expect(JSON.parse(stored.spec.config)).toEqual(config);

  // Delete is offered once the access review for this namespace has said yes.
  await expect(row.getByTestId('nad-delete')).toHaveAttribute('aria-disabled', 'false');
  await row.getByTestId('nad-delete').click();
  await page.getByTestId('nad-confirm-delete').click();
  await expect(row).toHaveCount(0);
  expect(nadExists('team-a', ok.name)).toBe(false);
});

test('dev-a gets "not allowed" on the admin pages and 403 from their routes', async ({ page }) => {
  // The admin frame's gate answers first (app/admin/layout.tsx): dev-a sees none of the admin pages.
  await signIn(page, 'dev-a', '/admin/networks');
  const denied = page.getByTestId('not-allowed');
  await expect(denied).toContainText('Not allowed');
  await expect(page.getByTestId('nad-form')).toHaveCount(0);

  const name = track('team-a', uniqueName('e2e-dev'));
  const res = await postNad(page, { namespace: 'team-a', name, vlan: String(vlan), subnet: subnetOf(4) });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  expect(nadExists('team-a', name)).toBe(false);
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const del = await page.request.delete(`/api/admin/networks/team-b/${fixture}`, { headers: { 'x-csrf-token': csrfToken, origin: new URL(page.url()).origin } });
  expect(del.status()).toBe(403);
  expect(nadExists('team-b', fixture)).toBe(true);

  await page.goto('/admin/cluster');
  await expect(page.getByTestId('not-allowed')).toContainText('Not allowed');
  await expect(page.getByTestId('cluster-page')).toHaveCount(0);
  expect((await page.request.get('/api/admin/cluster')).status()).toBe(403);
});

test.describe('with a running VM', () => {
  const vm = uniqueName('e2e-node');
  test.beforeAll(async () => {
    createVm(vm, 'team-a', 'Always');
    await waitForStatus(vm, 'team-a', 'Running', 90_000);
  });
  test.afterAll(() => deleteVm(vm, 'team-a'));

  test('the cluster view lists the sandbox\'s nodes, with the VM on its node', async ({ page }) => {
    const nodes = kubectl(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']).stdout.trim().split(/\s+/);
    const node = kubectl(['get', 'vmi', vm, '-n', 'team-a', '-o', 'jsonpath={.status.nodeName}']).stdout.trim();
    expect(nodes).toContain(node);
    await signIn(page, 'admin', '/admin/cluster');
    for (const n of nodes) await expect(page.locator(`[data-testid="cluster-node"][data-node="${n}"]`)).toBeVisible();
    await expect(page.getByTestId('cluster-node')).toHaveCount(nodes.length);
    const card = page.locator(`[data-testid="cluster-node"][data-node="${node}"]`);
    await expect(card).toHaveAttribute('data-schedulable', 'true');
    const link = card.locator(`[data-testid="node-vm"][data-vm="team-a/${vm}"] a`);
    await expect(link).toHaveAttribute('href', `/vms/team-a/${vm}`);
    // Allocatable as the node states it; requested includes at least the VM's launcher pod.
    const allocatable = JSON.parse(kubectl(['get', 'node', node, '-o', 'jsonpath={.status.allocatable}']).stdout) as { cpu: string };
    await expect(card.getByTestId('node-cpu')).toHaveAttribute('data-total', String(parseQuantity(allocatable.cpu)));
    expect(Number(await card.getByTestId('node-memory').getAttribute('data-used'))).toBeGreaterThan(128 * 1024 ** 2);
    await link.click();
    await page.waitForURL(`**/vms/team-a/${vm}`);
  });

  test('dev-a sees team-a\'s quota panel with the numbers kubectl shows', async ({ page }) => {
    await signIn(page, 'dev-a');
    // The list narrowed to team-a shows its quota above the VMs.
    await page.getByTestId('filter-namespace').selectOption('team-a');
    await expect(page.getByTestId('quota-compact')).toHaveAttribute('data-namespace', 'team-a');
    await page.getByTestId('quota-details-link').click();
    await page.waitForURL('**/namespaces/team-a');
    const panel = page.getByTestId('quota-panel');
    await expect(panel.getByTestId('quota-usage-table')).toBeVisible();
    await expect(panel.getByTestId('quota-overhead')).toContainText('MiB');

    type Quota = { metadata: { name: string }; status?: { hard?: Record<string, string>; used?: Record<string, string> } };
    const fromKubectl = () =>
      (JSON.parse(kubectl(['get', 'resourcequota', '-n', 'team-a', '-o', 'json']).stdout) as { items: Quota[] }).items.flatMap((q) =>
        Object.entries(q.status?.hard ?? {}).map(([r, hard]) => `${q.metadata.name} ${r} ${q.status?.used?.[r] ?? '0'}/${hard}`),
      ).sort();
    const fromPage = async () =>
      (await panel.getByTestId('quota-usage-line').evaluateAll((rows) => rows.map((e) => `${e.getAttribute('data-quota')} ${e.getAttribute('data-resource')} ${e.getAttribute('data-used')}/${e.getAttribute('data-hard')}`))).sort();
    // Usage moves while VMs of other tests start and stop; the panel follows it live, so both sides meet.
    await expect.poll(async () => JSON.stringify(await fromPage()) === JSON.stringify(fromKubectl()), { timeout: 30_000 }).toBe(true);
    expect(fromKubectl().length).toBeGreaterThan(0);

    // And in plain numbers: the limits as a person reads them.
    const shown = (r: string, q: string) => {
      const n = parseQuantity(q)!;
      const unit = quotaUnit(r);
      return unit === 'bytes' ? formatBytes(n) : unit === 'cores' ? `${Number(n.toFixed(3))} cores` : String(n);
    };
    const quotas = (JSON.parse(kubectl(['get', 'resourcequota', '-n', 'team-a', '-o', 'json']).stdout) as { items: Quota[] }).items;
    for (const q of quotas) {
      for (const [r, hard] of Object.entries(q.status?.hard ?? {})) {
        const line = panel.locator(`[data-testid="quota-usage-line"][data-quota="${q.metadata.name}"][data-resource="${r}"]`);
        await expect(line.getByTestId('quota-hard')).toHaveText(shown(r, hard));
      }
    }
  });
});
