// Issue 3, acceptance 3: the virt-launcher pod's requests meet the real quota admission; a VM that does not fit
// waits with the reason on it, and starts when room frees up.
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, subresource } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';
import { teamObjects } from '../launcher/seed.ts';
import { wholeQuantity } from '../simulator/kube/quantity.ts';

const ns = uniqueName('team-mem');

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
});

describe('memory quota and VMs', () => {
  it('keeps the fourth VM unstarted with the quota reason, and starts it once another VM stops', async () => {
    const objs = teamObjects({ name: ns, editorsGroup: ns }) as { kind: string; spec?: { hard?: Record<string, string> } }[];
    // Each VM's launcher pod asks, as KubeVirt 1.6's would: compute 128Mi for the guest + 268Mi + 256Ki of
    // virt-launcher overhead (415498240 bytes), the guest-console-log sidecar 35M and the container disk's container
    // 1M: 451498240 bytes. Three fit in 1400Mi (1468006400), a fourth does not.
    objs.find((o) => o.kind === 'ResourceQuota')!.spec!.hard!['requests.memory'] = '1400Mi';
    await kubectlOk(['apply', '-f', '-'], { input: objs.map((o) => YAML.stringify(o)).join('---\n') });
    await eventually('quota status', async () => (await getJson(['resourcequota', 'team-quota', '-n', ns]))?.status?.used?.['requests.memory'] === '0');

    const names = [1, 2, 3, 4].map((i) => `vm-${i}`);
    for (const n of names.slice(0, 3)) await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(n, ns)) });
    for (const n of names.slice(0, 3)) await waitForPrintableStatus(ns, n, 'Running', 40_000);
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm('vm-4', ns)) });

    const blocked = await eventually('the quota reason on vm-4', async () => {
      const vm = await getJson(['vm', 'vm-4', '-n', ns]);
      const c = vm?.status?.conditions?.find((x: { type: string }) => x.type === 'Synchronized');
      return c?.status === 'False' && vm;
    }, 30_000, 300);
    const sync = blocked.status.conditions.find((x: { type: string }) => x.type === 'Synchronized');
    expect(sync.reason).toBe('FailedCreate');
    const m = /exceeded quota: team-quota, requested: requests.memory=(\S+), used: requests.memory=(\S+), limited: requests.memory=1400Mi/.exec(sync.message);
    expect(m, sync.message).toBeTruthy();
    expect([wholeQuantity(m![1]!), wholeQuantity(m![2]!)]).toEqual([451498240, 3 * 451498240]);
    expect(blocked.status.printableStatus).toBe('Starting');
    expect(blocked.status.ready).toBeUndefined();

    expect((await api('PUT', subresource(ns, 'virtualmachines', 'vm-1', 'stop'))).status).toBe(202);
    await waitForPrintableStatus(ns, 'vm-1', 'Stopped', 40_000);
    const vm4 = await waitForPrintableStatus(ns, 'vm-4', 'Running', 60_000);
    expect(vm4.status.conditions.find((x: { type: string }) => x.type === 'Synchronized')).toBeUndefined();
  });
});
