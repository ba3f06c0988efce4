// Issue 4 (live migration, the part without storage): a running guest moves to another node for real, keeps its
// memory and uptime, answers on its new node; deleting a migration in flight aborts it.
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, subresource, serialShell } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, qemuPids, uniqueName, waitForPrintableStatus } from './helpers.ts';
import { ports } from '../launcher/paths.ts';

const ns = 'team-a';
const created: string[] = [];
afterAll(async () => {
  for (const name of created) await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
  await kubectl(['delete', 'migrationpolicy', 'sandbox-test-slow', '--ignore-not-found']);
});

async function runningVm(labels: Record<string, string> = {}) {
  const name = uniqueName('mig');
  const vm = docExampleVm(name, ns) as any;
  vm.spec.template.metadata.labels = { ...vm.spec.template.metadata.labels, ...labels };
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
  created.push(name);
  await waitForPrintableStatus(ns, name, 'Running', 30_000);
  return name;
}

/**
 * A running VM whose migrations go at 1 MiB/s (a MigrationPolicy), so that a test has time to act on one, and a
 * migration of it that is under way. `source` is its QEMU's pid before the target's started.
 */
async function slowMigration() {
  await kubectlOk(['apply', '-f', '-'], {
    input: YAML.stringify({
      apiVersion: 'migrations.kubevirt.io/v1alpha1',
      kind: 'MigrationPolicy',
      metadata: { name: 'sandbox-test-slow' },
      spec: { bandwidthPerMigration: '1Mi', selectors: { virtualMachineInstanceSelector: { 'sandbox-test/migration': 'slow' } } },
    }),
  });
  const name = await runningVm({ 'sandbox-test/migration': 'slow' });
  const node: string = (await getJson(['vmi', name, '-n', ns])).status.nodeName;
  const [source] = qemuPids(`${ns}_${name}`);
  expect(source).toBeGreaterThan(0);
  await kubectlOk(['create', '-f', '-'], {
    input: YAML.stringify({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: `${name}-mig`, namespace: ns }, spec: { vmiName: name } }),
  });
  await eventually('the migration to run', async () => (await getJson(['vmim', `${name}-mig`, '-n', ns]))?.status?.phase === 'Running', 30_000, 100);
  return { name, node, source: source! };
}

const shell = (name: string) => serialShell(ns, name, { as: 'dev-a', timeoutMs: 30_000 });

describe('live migration', () => {
  it('moves a running guest to another node without a reboot', async () => {
    const name = await runningVm();
    const before = await getJson(['vmi', name, '-n', ns]);
    const s1 = await shell(name);
    await s1.run('export MARKER=kept-$((40+2)); echo set', /\nset\r?\n/);
    const up1 = Number(/up=(\d+)/.exec(await s1.run('echo up=$(cut -d. -f1 /proc/uptime)', /up=\d+\r?\n/))![1]);
    s1.close();

    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'migrate'), { as: 'admin' })).status).toBe(202);
    const mig = await eventually('the migration to succeed', async () => {
      const list = (await getJson(['vmim', '-n', ns, '-l', `kubevirt.io/vmi-name=${name}`]))?.items ?? [];
      return list.find((m: any) => m.status?.phase === 'Succeeded' || m.status?.phase === 'Failed');
    }, 60_000, 200);
    expect(mig.status.phase).toBe('Succeeded');
    const phases = mig.status.phaseTransitionTimestamps.map((p: { phase: string }) => p.phase);
    expect(phases).toEqual(['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded']);

    const after = await eventually('the VMI on its new node', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi?.status?.nodeName !== before.status.nodeName && vmi?.status?.migrationState?.completed && vmi;
    });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.status.migrationState).toMatchObject({ sourceNode: before.status.nodeName, targetNode: after.status.nodeName, completed: true, mode: 'PreCopy' });
    expect(after.metadata.labels['kubevirt.io/nodeName']).toBe(after.status.nodeName);
    expect(qemuPids(`${ns}_${name}`)).toHaveLength(1);

    const s2 = await shell(name);
    const out = await s2.run('echo marker=$MARKER up=$(cut -d. -f1 /proc/uptime)', /marker=\S*\s+up=\d+\r?\n/);
    s2.close();
    expect(out).toMatch(/marker=kept-42/);
    expect(Number(/up=(\d+)/.exec(out)![1])).toBeGreaterThanOrEqual(up1);
  });

  it('aborts a migration whose object is deleted in flight; the VM keeps running on its node', async () => {
    const { name, node } = await slowMigration();
    expect((await getJson(['vm', name, '-n', ns])).status.printableStatus).toBe('Migrating');
    // Progress, as KubeVirt exposes it: Prometheus gauges on the metrics endpoint.
    const metrics = await eventually('migration metrics', async () => {
      const text = await (await fetch(`http://127.0.0.1:${ports.simulatorHealth}/metrics`)).text();
      const m = new RegExp(`kubevirt_vmi_migration_data_processed_bytes\\{name="${name}",namespace="${ns}"[^}]*\\} (\\d+)`).exec(text);
      return m && Number(m[1]) > 0 && text;
    }, 15_000, 200);
    expect(metrics).toMatch(new RegExp(`kubevirt_vmi_migration_data_remaining_bytes\\{name="${name}"`));
    await kubectlOk(['delete', 'vmim', `${name}-mig`, '-n', ns, '--wait=false']);
    await eventually('the migration object to go', async () => !(await getJson(['vmim', `${name}-mig`, '-n', ns])), 30_000, 200);
    const vmi = await getJson(['vmi', name, '-n', ns]);
    expect(vmi.status.nodeName).toBe(node);
    expect(vmi.status.migrationState).toMatchObject({ abortRequested: true, abortStatus: 'Succeeded', failed: true });
    await waitForPrintableStatus(ns, name, 'Running', 10_000);
    expect(qemuPids(`${ns}_${name}`)).toHaveLength(1);
  });

  it('fails a migration whose source QEMU stops answering, with the reason, and the guest runs on where it was', async () => {
    // SIGSTOP makes the source's QMP time out under the slow migration.
    const { name, node, source } = await slowMigration();
    process.kill(source, 'SIGSTOP');
    let mig: any;
    try {
      mig = await eventually('the migration to fail', async () => {
        const m = await getJson(['vmim', `${name}-mig`, '-n', ns]);
        return m?.status?.phase === 'Failed' && m;
      }, 90_000, 300);
    } finally {
      process.kill(source, 'SIGCONT');
    }
    expect(mig.status.migrationState.failureReason).toMatch(/^migration failed: QMP timeout/);
    const vmi = await getJson(['vmi', name, '-n', ns]);
    expect(vmi.status.nodeName).toBe(node);
    expect(vmi.status.migrationState).toMatchObject({ failed: true, failureReason: mig.status.migrationState.failureReason });
    await waitForPrintableStatus(ns, name, 'Running', 30_000);
    await eventually('the target QEMU to be gone', async () => qemuPids(`${ns}_${name}`).length === 1, 15_000, 200);
    expect(qemuPids(`${ns}_${name}`)).toEqual([source]);
    // The guest was never moved or paused for good: it answers on its console, on the node it was on.
    const s = await shell(name);
    expect(await s.run('echo alive=$((6*7))', /alive=\d+\r?\n/)).toContain('alive=42');
    s.close();
  });
});
