// Issue 3: instance types and preferences, RestartRequired, and an unschedulable VM, as KubeVirt reports them.
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, subresource } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const created: string[] = [];
const create = async (vm: { metadata: { name: string } }) => {
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm), as: 'dev-a' });
  created.push(vm.metadata.name);
};
afterAll(async () => {
  for (const name of created) await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
});

describe('VM spec handling', () => {
  it('expands a cluster instance type and preference into the VMI', async () => {
    const vm = docExampleVm(uniqueName('typed'), ns) as any;
    delete vm.spec.template.spec.domain.resources;
    delete vm.spec.template.spec.domain.cpu;
    vm.spec.instancetype = { name: 'u1.small' };
    vm.spec.preference = { name: 'tinylinux' };
    await create(vm);
    await waitForPrintableStatus(ns, vm.metadata.name, 'Running', 30_000);
    const vmi = await getJson(['vmi', vm.metadata.name, '-n', ns]);
    expect(vmi.spec.domain.memory.guest).toBe('2Gi');
    expect(vmi.spec.domain.cpu.sockets).toBe(1);
    const expanded = await api('GET', subresource(ns, 'virtualmachines', vm.metadata.name, 'expand-spec'), { as: 'dev-a' });
    expect(expanded.status).toBe(200);
    const spec = JSON.parse(expanded.text).spec;
    expect(spec.instancetype).toBeUndefined();
    expect(spec.template.spec.domain.memory.guest).toBe('2Gi');
  });

  it('sets RestartRequired when a non-live-updatable field changes, and clears it after a restart', async () => {
    const name = uniqueName('restartreq');
    await create(docExampleVm(name, ns));
    await waitForPrintableStatus(ns, name, 'Running', 30_000);
    await kubectlOk(['patch', 'vm', name, '-n', ns, '--type=merge', '-p', '{"spec":{"template":{"spec":{"domain":{"firmware":{"serial":"changed"}}}}}}']);
    const cond = await eventually('RestartRequired', async () => {
      const vm = await getJson(['vm', name, '-n', ns]);
      return vm?.status?.conditions?.find((c: { type: string }) => c.type === 'RestartRequired');
    });
    expect(cond.status).toBe('True');
    expect(cond.message).toBe('a non-live-updatable field was changed in the template spec');
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'restart'), { as: 'dev-a' })).status).toBe(202);
    await eventually('RestartRequired to clear', async () => {
      const vm = await getJson(['vm', name, '-n', ns]);
      return vm?.status?.printableStatus === 'Running' && !vm.status.conditions.some((c: { type: string }) => c.type === 'RestartRequired');
    }, 60_000, 300);
  });

  it('shows ErrorUnschedulable when no node fits', async () => {
    const vm = docExampleVm(uniqueName('nowhere'), ns) as any;
    vm.spec.template.spec.nodeSelector = { 'sandbox.kubevirt.io/zone': 'mars' };
    await create(vm);
    const got = await waitForPrintableStatus(ns, vm.metadata.name, 'ErrorUnschedulable', 30_000);
    const c = got.status.conditions.find((x: { type: string }) => x.type === 'PodScheduled');
    expect(c.reason).toBe('Unschedulable');
    expect(c.message).toMatch(/node\(s\) didn't match Pod's node affinity\/selector/);
  });
});
