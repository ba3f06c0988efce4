import { expect, test } from './support/fixtures';
import { fmtMs, pct, type SandboxUser } from '../bench/support';
import { createVm, deleteVm, kubectl, uniqueName } from '../e2e/support/cluster';
import { signIn } from '../e2e/support/portal';
import { publicUrl } from './support/fleet';
import { SimClient, SimStream, Tally, type Identity } from './support/sim-user';

// 50 simulated users against two portal replicas behind one address, every request and stream alternating between
// them: listing, following the live stream and starting/stopping their own VMs for LOAD_SECONDS (60; `npm run
// test:soak` runs 600). No errors allowed; 409s (an action the cluster refused as the VM stood) are counted apart.
// Then the cluster settles and every stream must show what kubectl shows. And a sign-out through the balancer must
// end the session on both replicas.
test.describe.configure({ mode: 'serial' });

const USERS = 50;
// Users that also act, each on a VM of its own (half in team-a as dev-a, half in team-b as dev-b). Each start boots
// a real emulated guest in the simulator: more of them at once than this starves a two-core machine.
const ACTORS = 4;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
// The actors' VMs boot real (emulated) guests: enough settle time for a few on a busy two-core machine.
const SETTLE_MS = 120_000;
const prefix = uniqueName('rel-load');
const namespacesOf: Record<SandboxUser, string[]> = { admin: ['team-a', 'team-b'], 'dev-a': ['team-a'], 'dev-b': ['team-b'], viewer: ['team-a', 'team-b'] };

const actorVms: { ns: string; name: string }[] = [];

test.beforeAll(() => {
  for (let i = 0; i < ACTORS; i++) {
    const vm = { ns: i % 2 ? 'team-b' : 'team-a', name: `${prefix}-${i}` };
    createVm(vm.name, vm.ns, 'Halted');
    actorVms.push(vm);
  }
});

test.afterAll(() => {
  for (const vm of actorVms) deleteVm(vm.name, vm.ns);
});

const vmStatus = (o: { status?: { printableStatus?: string } } | undefined) => o?.status?.printableStatus;

function clusterStatuses(): Map<string, { status: string; runStrategy: string }> {
  const out = new Map<string, { status: string; runStrategy: string }>();
  for (const ns of ['team-a', 'team-b']) {
    const r = kubectl(['get', 'vm', '-n', ns, '-o', 'json']);
    if (r.status !== 0) throw new Error(r.stderr);
    for (const o of JSON.parse(r.stdout).items as { metadata: { name: string }; spec: { runStrategy: string }; status?: { printableStatus?: string } }[]) {
      if (o.metadata.name.startsWith(prefix)) out.set(`${ns}/${o.metadata.name}`, { status: o.status?.printableStatus ?? '', runStrategy: o.spec.runStrategy });
    }
  }
  return out;
}

test(`${USERS} users list, watch and act for ${SECONDS} s against two replicas without an error`, async ({ browser, fleet }) => {
  test.setTimeout(SECONDS * 1000 + 360_000);
  // One real sign-in per sandbox user; the simulated users share them (each its own requests and stream).
  const identities = {} as Record<SandboxUser, Identity>;
  for (const user of ['admin', 'dev-a', 'dev-b', 'viewer'] as const) {
    const context = await browser.newContext({ baseURL: publicUrl });
    await signIn(await context.newPage(), user);
    identities[user] = { user, cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '), namespaces: namespacesOf[user] };
    await context.close();
  }

  const tally = new Tally();
  const users = Array.from({ length: USERS }, (_, i) => {
    const actor = i < ACTORS;
    const who: SandboxUser = actor ? (i % 2 ? 'dev-b' : 'dev-a') : (['admin', 'dev-a', 'dev-b', 'viewer'] as const)[i % 4]!;
    return { client: new SimClient(fleet.url, identities[who], tally), vm: actor ? actorVms[i] : undefined };
  });
  const streams = users.map((u) => new SimStream(u.client));
  const lastAction = new Map<string, 'start' | 'stop'>();
  // VMs an action of which got no clear answer (neither accepted nor refused): what the cluster did is unknown.
  const unclear = new Set<string>();
  const routedBefore = fleet.routed.length;
  const end = Date.now() + SECONDS * 1000;

  await Promise.all(
    users.map(async (u, i) => {
      const stream = streams[i]!;
      let round = 0;
      while (Date.now() < end) {
        round++;
        const q = new URLSearchParams({ resource: 'virtualmachines' });
        for (const ns of u.client.id.namespaces) q.append('namespace', ns);
        await u.client.call('GET', `/api/list?${q}`);
        if (round % 4 === 0) await u.client.call('GET', '/api/namespaces');
        if (u.vm && round % 5 === 0) {
          // What the page would offer: start a stopped VM, stop a running one; nothing while it is between.
          const status = vmStatus(stream.vms.get(`${u.vm.ns}/${u.vm.name}`) as never);
          const action = status === 'Stopped' ? 'start' : status === 'Running' ? 'stop' : undefined;
          if (action) {
            tally.actions++;
            const r = await u.client.call('POST', `/api/vms/${u.vm.ns}/${u.vm.name}/actions/${action}`, {});
            if (r.status >= 200 && r.status < 300) lastAction.set(`${u.vm.ns}/${u.vm.name}`, action);
            else if (r.status !== 409) unclear.add(`${u.vm.ns}/${u.vm.name}`);
          }
        }
        // Think time of a person (0.5-1.5 s between clicks), not a wait for anything.
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      }
    }),
  );
  const loadEnded = Date.now();

  const routed = fleet.routed.slice(routedBefore);
  const perReplica = [0, 1].map((r) => routed.filter((x) => x.replica === r).length);
  const lat = tally.latenciesMs;
  const summary = [
    `load: ${USERS} users (${ACTORS} acting) for ${SECONDS} s against 2 replicas`,
    `requests ${tally.requests} (by status ${[...tally.byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}), through the balancer ${perReplica.join(' / ')} per replica`,
    `streams opened ${tally.streamsOpened}, reconnected after their lifetime ${tally.streamReconnects}, events ${tally.streamEvents}`,
    `actions ${tally.actions} (409 conflicts ${tally.conflicts.length}), errors ${tally.errors.length}`,
    `latency p50 ${fmtMs(pct(lat, 50))}, p99 ${fmtMs(pct(lat, 99))}, max ${fmtMs(Math.max(...lat))}`,
  ].join('\n');
  console.log(summary);
  for (const c of tally.conflicts.slice(0, 5)) console.log(`  409: ${c}`);
  for (const e of tally.errors.slice(0, 10)) console.log(`  error: ${e}`);
  test.info().annotations.push({ type: 'load', description: summary });

  // The cluster settles: each acted-on VM at rest as its run strategy says...
  const unsettled = () => {
    const now = clusterStatuses();
    return actorVms.flatMap((vm) => {
      const key = `${vm.ns}/${vm.name}`;
      const c = now.get(key);
      const want = c?.runStrategy === 'Always' ? 'Running' : 'Stopped';
      return c?.status === want ? [] : [`${key}: ${c?.runStrategy} ${c?.status}`];
    });
  };
  await expect.poll(unsettled, { timeout: SETTLE_MS, message: 'the acted-on VMs come to rest' }).toEqual([]);
  const settled = Date.now() - loadEnded;
  // ...which is what the last action the portal accepted asked for.
  const truth = clusterStatuses();
  for (const vm of actorVms) {
    const key = `${vm.ns}/${vm.name}`;
    if (unclear.has(key)) continue;
    expect(truth.get(key)?.runStrategy, key).toBe(lastAction.get(key) === 'start' ? 'Always' : 'Halted');
  }
  // Every stream that may see a VM shows it as kubectl does (the live budget is 1 s; 10 s for a busy machine).
  const stale = () =>
    streams.flatMap((s, i) =>
      [...truth].flatMap(([key, c]) => {
        if (!users[i]!.client.id.namespaces.includes(key.split('/')[0]!)) return [];
        const seen = vmStatus(s.vms.get(key) as never);
        return seen === c.status ? [] : [`user ${i} sees ${key} ${seen}, kubectl ${c.status}`];
      }),
    );
  await expect.poll(() => stale().slice(0, 5), { timeout: 10_000, message: 'every stream shows the cluster as kubectl does' }).toEqual([]);
  console.log(`settled ${(settled / 1000).toFixed(1)} s after the load; every stream agrees with kubectl`);
  for (const s of streams) s.close();
  await Promise.all(streams.map((s) => s.done));

  expect(tally.errors, tally.errors.slice(0, 10).join('\n')).toEqual([]);
  expect(tally.streamsOpened).toBeGreaterThanOrEqual(USERS);
  expect(Math.min(...perReplica)).toBeGreaterThan(0.4 * routed.length);
});

test('a sign-out through the balancer ends the session on both replicas', async ({ page, fleet }) => {
  await signIn(page, 'dev-a');
  const session = (await page.context().cookies()).find((c) => c.name.includes('next-auth.session-token'));
  expect(session).toBeTruthy();
  const cookie = `${session!.name}=${session!.value}`;
  // Before: the copied cookie works on each replica, called directly.
  for (const url of fleet.replicaUrls) expect((await fetch(`${url}/api/namespaces`, { headers: { cookie } })).status).toBe(200);

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  // The replica that did not see the sign-out learns of it from the shared store's watch: 10 s is its bound.
  for (const url of fleet.replicaUrls) {
    await expect
      .poll(async () => (await fetch(`${url}/api/namespaces`, { headers: { cookie } })).status, { timeout: 10_000, message: `the old cookie on ${url}` })
      .toBe(401);
  }
});
