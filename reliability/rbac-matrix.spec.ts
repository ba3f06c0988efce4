import { expect, test } from '@playwright/test';
import { portalCookie, runCleanups, startPortal, type SandboxUser } from '../bench/support';
import { docExampleVm } from '../sandbox/test/vm-manifests';
import { users } from '../sandbox/launcher/users';
import { kubectlOk } from '../e2e/support/cluster';
import { errorCode, send, signedHeaders, type Answer } from './support/http';
import { attrKey, reviewsFor, type Attributes } from './support/rbac';

// Every sandbox user times every action the portal offers times every namespace (the two teams' and one only the
// cluster admin has), in token mode and again in impersonation mode, each mode its own portal process: the portal
// must allow exactly what Kubernetes RBAC allows the user (SubjectAccessReviews asked as the admin): no escalation
// (allowed where RBAC denies) and no false refusal (403 where RBAC allows).
//
// Each user acts on VMs of their own, made by the admin for the cell's row, so that one user's act never changes what
// another meets. Acts are chosen to change as little as possible while still reaching the API server's
// authorization: a create as a server-side dry run, a delete with a uid precondition that fails, a start of a VM
// that is already running, a stop of one that is stopped, a snapshot under a name already taken. What cannot be
// made harmless (restore, clone, hot-plug, interface attach and detach, an edit) acts for real on the user's own
// stopped VM, and all of it is deleted at the end.

const PORT = Number(process.env.PORTAL_E2E_PORT ?? 3000);
const PRIVATE = 'rbac-private';
const NAMESPACES = ['team-a', 'team-b', PRIVATE];
const USERS = users.map((u) => ({ name: u.username as SandboxUser, groups: u.groups }));
const MODES = [
  { id: 'token', short: 't', env: { PORTAL_AUTH_MODE: 'token' } },
  // The sandbox's kubeconfig (its cluster admin) is the portal's own credentials in sandbox mode (lib/settings/cluster.ts).
  { id: 'impersonate', short: 'i', env: { PORTAL_AUTH_MODE: 'impersonate' } },
] as const;
const LABEL = 'portal-reliability=rbac';
const RUNNING = 'rbac-running'; // runStrategy Always, never scheduled: "running" to KubeVirt, no QEMU on this machine

const kv = (resource: string, verb: string, subresource?: string): Omit<Attributes, 'namespace'> =>
  subresource ? { verb, group: 'subresources.kubevirt.io', resource, subresource } : { verb, group: 'kubevirt.io', resource };

interface Cell {
  namespace: string;
  vm: string; // the user's own stopped VM in this namespace
  snapshot: string;
  mode: string;
  user: string;
}

interface Action {
  id: string;
  /** What RBAC must allow for the portal to allow it; a namespace-less attribute is asked cluster-wide. */
  needs: (ns: string) => Attributes[];
  request: (c: Cell) => { method: string; path: string; body?: unknown };
  /** For reads: whether the answer holds what was asked (a list may answer 200 and leave out what is not allowed). */
  shows?: (a: Answer, c: Cell) => boolean;
}

const vmPath = (c: Cell) => `/api/vms/${c.namespace}/${c.vm}`;
const inNs = (ns: string, a: Omit<Attributes, 'namespace'>): Attributes => ({ ...a, namespace: ns });
// GET /api/list answers each scope's list as the API server sent it (lib/shared/list-wire.ts).
const listed = (a: Answer, c: Cell) =>
  a.status === 200 &&
  Object.values((JSON.parse(a.text) as { lists?: Record<string, { items?: { metadata?: { name?: string; namespace?: string } }[] | null }> }).lists ?? {}).some((l) =>
    l.items?.some((i) => i.metadata?.name === c.vm && i.metadata?.namespace === c.namespace),
  );

const ACTIONS: Action[] = [
  { id: 'list', needs: (ns) => [inNs(ns, kv('virtualmachines', 'list'))], request: (c) => ({ method: 'GET', path: `/api/list?resource=virtualmachines&namespace=${c.namespace}` }), shows: listed },
  {
    id: 'get',
    needs: (ns) => [inNs(ns, kv('virtualmachines', 'get'))],
    request: (c) => ({ method: 'GET', path: `/api/list?resource=virtualmachines&namespace=${c.namespace}&fieldSelector=${encodeURIComponent(`metadata.name=${c.vm}`)}` }),
    shows: listed,
  },
  {
    id: 'create',
    needs: (ns) => [inNs(ns, kv('virtualmachines', 'create'))],
    request: (c) => ({ method: 'POST', path: '/api/vms/create', body: { source: 'yaml', namespace: c.namespace, dryRun: true, manifests: [docExampleVm(`${c.vm}-new`, c.namespace, 'Halted')] } }),
  },
  { id: 'delete', needs: (ns) => [inNs(ns, kv('virtualmachines', 'delete'))], request: (c) => ({ method: 'POST', path: `${vmPath(c)}/actions/delete`, body: { uid: '00000000-0000-0000-0000-000000000000' } }) },
  { id: 'start', needs: (ns) => [inNs(ns, kv('virtualmachines', 'update', 'start'))], request: (c) => ({ method: 'POST', path: `/api/vms/${c.namespace}/${RUNNING}/actions/start` }) },
  ...(['stop', 'restart', 'migrate'] as const).map((id): Action => ({ id, needs: (ns) => [inNs(ns, kv('virtualmachines', 'update', id))], request: (c) => ({ method: 'POST', path: `${vmPath(c)}/actions/${id}` }) })),
  ...(['pause', 'unpause'] as const).map((id): Action => ({ id, needs: (ns) => [inNs(ns, kv('virtualmachineinstances', 'update', id))], request: (c) => ({ method: 'POST', path: `${vmPath(c)}/actions/${id}` }) })),
  { id: 'console', needs: (ns) => [inNs(ns, kv('virtualmachineinstances', 'get', 'console'))], request: (c) => ({ method: 'GET', path: `/api/consoles/${c.namespace}/${c.vm}/serial` }) },
  { id: 'vnc', needs: (ns) => [inNs(ns, kv('virtualmachineinstances', 'get', 'vnc'))], request: (c) => ({ method: 'GET', path: `/api/consoles/${c.namespace}/${c.vm}/vnc` }) },
  {
    id: 'snapshot',
    needs: (ns) => [inNs(ns, { verb: 'create', group: 'snapshot.kubevirt.io', resource: 'virtualmachinesnapshots' })],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/snapshots`, body: { name: c.snapshot } }),
  },
  {
    id: 'clone',
    needs: (ns) => [inNs(ns, { verb: 'create', group: 'clone.kubevirt.io', resource: 'virtualmachineclones' })],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/clones`, body: { target: `${c.vm}-clone` } }),
  },
  {
    id: 'add-disk',
    needs: (ns) => [inNs(ns, kv('virtualmachines', 'update', 'addvolume'))],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/disks`, body: { source: 'claim', name: 'extra', claim: 'rbac-claim' } }),
  },
  { id: 'remove-disk', needs: (ns) => [inNs(ns, kv('virtualmachines', 'update', 'removevolume'))], request: (c) => ({ method: 'DELETE', path: `${vmPath(c)}/disks/cloudinitdisk` }) },
  {
    id: 'attach-nic',
    needs: (ns) => [inNs(ns, kv('virtualmachines', 'patch'))],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/interfaces`, body: { name: 'lab2', source: { kind: 'multus', networkName: 'lab' }, binding: 'bridge' } }),
  },
  { id: 'detach-nic', needs: (ns) => [inNs(ns, kv('virtualmachines', 'patch'))], request: (c) => ({ method: 'DELETE', path: `${vmPath(c)}/interfaces/lab` }) },
  {
    id: 'edit',
    needs: (ns) => [inNs(ns, kv('virtualmachines', 'patch'))],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/edit`, body: { resourceVersion: vmVersion(c), labels: { 'portal-reliability': 'rbac', edited: 'yes' } } }),
  },
  // Last: an in-place restore rewrites the VM.
  {
    id: 'restore',
    needs: (ns) => [inNs(ns, { verb: 'create', group: 'snapshot.kubevirt.io', resource: 'virtualmachinerestores' })],
    request: (c) => ({ method: 'POST', path: `${vmPath(c)}/restores`, body: { snapshot: c.snapshot } }),
  },
  // The admin area: its gates (lib/admin) ask for cluster-wide rights, then the API server decides the call itself.
  {
    id: 'admin-project',
    needs: () => [
      { verb: 'create', group: '', resource: 'namespaces' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
    ],
    request: (c) => ({ method: 'GET', path: `/api/admin/projects/${c.namespace}` }),
  },
  { id: 'admin-projects', needs: () => [{ verb: 'create', group: '', resource: 'namespaces' }, { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }], request: () => ({ method: 'GET', path: '/api/admin/projects' }) },
  {
    id: 'admin-network-delete',
    needs: (ns) => [
      { verb: 'create', group: 'k8s.cni.cncf.io', resource: 'network-attachment-definitions' },
      inNs(ns, { verb: 'delete', group: 'k8s.cni.cncf.io', resource: 'network-attachment-definitions' }),
    ],
    request: (c) => ({ method: 'DELETE', path: `/api/admin/networks/${c.namespace}/rbac-absent` }),
  },
  { id: 'admin-cluster', needs: () => [{ verb: 'list', group: '', resource: 'nodes' }], request: () => ({ method: 'GET', path: '/api/admin/cluster' }) },
];

function vmVersion(c: Cell): string {
  return kubectlOk(['get', 'vm', c.vm, '-n', c.namespace, '-o', 'jsonpath={.metadata.resourceVersion}']);
}

const apply = (o: unknown) => kubectlOk(['apply', '-f', '-'], JSON.stringify(o));

function ownVm(name: string, namespace: string) {
  const vm = docExampleVm(name, namespace, 'Halted');
  // Only a label the edit may keep: kubevirt.io/ keys are KubeVirt's, and the edit form refuses to set them.
  vm.metadata.labels = { 'portal-reliability': 'rbac' };
  const spec = vm.spec.template.spec;
  (spec.domain.devices.interfaces as unknown[]).push({ name: 'lab', bridge: {} });
  (spec.networks as unknown[]).push({ name: 'lab', multus: { networkName: 'lab' } });
  return vm;
}

async function waitFor(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function fixtures(): void {
  if (!kubectlOk(['get', 'ns', PRIVATE, '--ignore-not-found', '-o', 'name']).trim()) kubectlOk(['create', 'ns', PRIVATE]);
  // The teams' namespaces come with a NAD "lab"; the private one gets its own.
  apply({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: 'lab', namespace: PRIVATE },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: 'lab', type: 'bridge', bridge: 'br-rbac', vlan: 301, ipam: { type: 'whereabouts', range: '10.131.0.0/24' } }) },
  });
  for (const ns of NAMESPACES) {
    apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'rbac-claim', namespace: ns, labels: { 'portal-reliability': 'rbac' } },
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '64Mi' } }, storageClassName: 'sandbox-shared' },
    });
    const running = docExampleVm(RUNNING, ns, 'Always');
    running.metadata.labels = { ...running.metadata.labels, 'portal-reliability': 'rbac' };
    (running.spec.template.spec as Record<string, unknown>).nodeSelector = { 'portal-reliability/never': 'true' };
    apply(running);
  }
}

function makeCells(mode: (typeof MODES)[number]): Cell[] {
  const cells: Cell[] = [];
  const objects: unknown[] = [];
  for (const ns of NAMESPACES) {
    for (const u of USERS) {
      const vm = `rbac-${mode.short}-${u.name}`;
      objects.push(ownVm(vm, ns), {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshot',
        metadata: { name: `${vm}-snap`, namespace: ns, labels: { 'portal-reliability': 'rbac' } },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: vm } },
      });
      cells.push({ namespace: ns, vm, snapshot: `${vm}-snap`, mode: mode.id, user: u.name });
    }
  }
  kubectlOk(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return cells;
}

function cleanup(): void {
  for (const ns of NAMESPACES) {
    kubectlOk(['delete', 'vmrestores,vmclones,vmsnapshots,vm', '-n', ns, '-l', LABEL, '--ignore-not-found', '--wait=false']);
    // Clones and restores name VMs and objects of their own, without the label.
    const made = kubectlOk(['get', 'vm', '-n', ns, '-o', 'name']).split('\n').filter((n) => /\/rbac-[ti]-/.test(n));
    if (made.length) kubectlOk(['delete', ...made, '-n', ns, '--ignore-not-found', '--wait=false']);
    for (const kind of ['vmclones', 'vmrestores']) {
      const objs = kubectlOk(['get', kind, '-n', ns, '-o', 'name']).split('\n').filter((n) => /\/rbac-[ti]-/.test(n));
      if (objs.length) kubectlOk(['delete', ...objs, '-n', ns, '--ignore-not-found', '--wait=false']);
    }
  }
}

type Verdict = 'allowed' | 'refused';

function outcome(a: Answer, action: Action, c: Cell): { verdict?: Verdict; problem?: string } {
  if (a.status >= 500) return { problem: `server error ${a.status}: ${a.text.slice(0, 200)}` };
  if (a.status === 401) return { problem: `401 (session): ${a.text.slice(0, 200)}` };
  if (a.status === 400) return { problem: `400, the matrix's request was refused as invalid: ${a.text.slice(0, 300)}` };
  if (a.status === 403) {
    if (errorCode(a) === 'csrf') return { problem: 'refused as cross-site: the matrix sent no CSRF proof' };
    return { verdict: 'refused' };
  }
  if (action.shows) return { verdict: action.shows(a, c) ? 'allowed' : 'refused' };
  return { verdict: 'allowed' };
}

test('each user may do through the portal exactly what RBAC lets them, in token and impersonation modes', async () => {
  test.setTimeout(480_000);
  cleanup();
  fixtures();

  // What RBAC says, once per user (it does not depend on the portal's mode).
  const truth = new Map<string, Map<string, boolean>>();
  for (const u of USERS) truth.set(u.name, reviewsFor(u.name, u.groups, NAMESPACES.flatMap((ns) => ACTIONS.flatMap((a) => a.needs(ns)))));
  const rbacAllows = (user: string, action: Action, ns: string) => action.needs(ns).every((n) => truth.get(user)!.get(attrKey(n)) === true);

  const rows: { mode: string; user: string; ns: string; action: string; rbac: Verdict; portal: Verdict | '-'; status: number; problem?: string }[] = [];
  const t0 = Date.now();
  const phase = (what: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  try {
    for (const mode of MODES) {
      const cells = makeCells(mode);
      phase(`${mode.id}: VMs and snapshots made`);
      await waitFor('the snapshots to be ready', () =>
        NAMESPACES.every((ns) =>
          kubectlOk(['get', 'vmsnapshots', '-n', ns, '-l', LABEL, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.readyToUse}{"\\n"}{end}'])
            .split('\n')
            .filter((l) => l.startsWith(`rbac-${mode.short}-`))
            .every((l) => l.endsWith(' true')),
        ),
      );
      // A loaded machine (CI's two cores) can take more than a minute to get Next ready.
      const portal = await startPortal({ port: PORT, env: mode.env, readyTimeoutMs: 180_000 });
      try {
        const headers = new Map<string, Record<string, string>>();
        phase(`${mode.id}: portal ready`);
        await Promise.all(USERS.map(async (u) => headers.set(u.name, await signedHeaders(portal.url, await portalCookie(portal.url, u.name)))));
        phase(`${mode.id}: users signed in`);
        // Users side by side, each user's cells one after another (their acts build on each other: restore last).
        await Promise.all(
          USERS.map(async (u) => {
            for (const c of cells.filter((x) => x.user === u.name)) {
              for (const action of ACTIONS) {
                const r = action.request(c);
                const body = r.body === undefined ? undefined : JSON.stringify(r.body);
                const a = await send(portal.url, r.method, r.path, { ...headers.get(u.name)!, ...(body ? { 'content-type': 'application/json' } : {}) }, body);
                const o = outcome(a, action, c);
                rows.push({ mode: mode.id, user: u.name, ns: c.namespace, action: action.id, rbac: rbacAllows(u.name, action, c.namespace) ? 'allowed' : 'refused', portal: o.verdict ?? '-', status: a.status, problem: o.problem });
              }
            }
          }),
        );
        phase(`${mode.id}: matrix done`);
      } finally {
        await portal.stop();
      }
      cleanup();
    }
  } finally {
    cleanup();
    for (const ns of NAMESPACES) kubectlOk(['delete', 'pvc', 'rbac-claim', '-n', ns, '--ignore-not-found', '--wait=false']);
    await runCleanups();
  }

  // The matrix: one line per mode, user and action; a cell per namespace, "RBAC/portal status".
  const mark = (r: (typeof rows)[number]) => `${r.rbac === 'allowed' ? 'Y' : 'n'}${r.portal === r.rbac ? '' : r.portal === '-' ? '?' : '!'} ${r.status}`;
  console.log(`${'mode'.padEnd(12)}${'user'.padEnd(8)}${'action'.padEnd(22)}${NAMESPACES.map((n) => n.padEnd(14)).join('')}`);
  for (const mode of MODES) {
    for (const u of USERS) {
      for (const action of ACTIONS) {
        const line = NAMESPACES.map((ns) => rows.find((r) => r.mode === mode.id && r.user === u.name && r.ns === ns && r.action === action.id)).map((r) => (r ? mark(r) : '').padEnd(14));
        console.log(`${mode.id.padEnd(12)}${u.name.padEnd(8)}${action.id.padEnd(22)}${line.join('')}`);
      }
    }
  }
  const escalations = rows.filter((r) => r.rbac === 'refused' && r.portal === 'allowed');
  const falseRefusals = rows.filter((r) => r.rbac === 'allowed' && r.portal === 'refused');
  const problems = rows.filter((r) => r.problem);
  console.log('Y: RBAC allows, n: RBAC denies; ! the portal disagrees, ? no verdict; then the HTTP status');
  console.log(`${rows.length} cells (${MODES.length} modes x ${USERS.length} users x ${ACTIONS.length} actions x ${NAMESPACES.length} namespaces): ${rows.filter((r) => r.rbac === 'allowed').length} allowed by RBAC, ${escalations.length} escalations, ${falseRefusals.length} false refusals, ${problems.length} without a verdict`);
  for (const r of [...escalations, ...falseRefusals, ...problems]) console.log(`MISMATCH ${r.mode} ${r.user} ${r.ns} ${r.action}: RBAC ${r.rbac}, portal ${r.portal} (${r.status}) ${r.problem ?? ''}`);
  expect(rows.length).toBe(MODES.length * USERS.length * ACTIONS.length * NAMESPACES.length);
  expect(escalations, 'escalations').toEqual([]);
  expect(falseRefusals, 'false refusals').toEqual([]);
  expect(problems, 'cells without a verdict').toEqual([]);
});
