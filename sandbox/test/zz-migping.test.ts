// TEMPORARY (not committed): reproduces the post-migration ping failure with diagnostics.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, serialShell, subresource } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const run = randomBytes(3).toString('hex');
const nadName = `blue-${run}`;
const green = `green-${run}`;
let a: string, b: string;
async function createVm(prefix: string) {
  const name = uniqueName(prefix);
  const vm = docExampleVm(name, ns) as any;
  vm.spec.template.spec.domain.devices.interfaces.push({ name: 'lan', bridge: {} });
  vm.spec.template.spec.networks.push({ name: 'lan', multus: { networkName: nadName } });
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
  return name;
}
beforeAll(async () => {
  await kubectlOk(['apply', '-f', '-'], { input: YAML.stringify({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: nadName, namespace: ns }, spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: nadName, type: 'bridge', bridge: `br-${run}`, vlan: 10, ipam: { type: 'whereabouts', range: '10.97.0.0/24' } }) } }) });
  await kubectlOk(['apply', '-f', '-'], { input: YAML.stringify({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: green, namespace: ns }, spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: green, type: 'bridge', bridge: `br-${run}`, vlan: 30, ipam: { type: 'host-local', subnet: '10.98.0.0/24' } }) } }) });
  a = await createVm('mp-a');
  b = await createVm('mp-b');
  for (const vm of [a, b]) await waitForPrintableStatus(ns, vm, 'Running', 90_000);
}, 200_000);
afterAll(async () => {
  await kubectl(['delete', 'vm', a, b, '-n', ns, '--wait=false']);
  await kubectl(['delete', 'network-attachment-definitions', nadName, green, '-n', ns]);
});
const addr = (vm: string) => eventually(`${vm} lan`, async () => (await getJson(['vmi', vm, '-n', ns]))?.status?.interfaces?.find((i: any) => i.name === 'lan' && i.ipAddress), 90_000, 500);

it('pings after each migration', async () => {
  const lanA = await addr(a);
  await addr(b);
  const failures: string[] = [];
  for (let i = 0; i < Number(process.env.ITER ?? 25); i++) {
    if (process.env.HOTPLUG) {
      await kubectlOk(['patch', 'vm', b, '-n', ns, '--type', 'json', '-p', JSON.stringify([
        { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'back', bridge: {} } },
        { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'back', multus: { networkName: green } } },
      ])]);
      await eventually('back addressed', async () => (await getJson(['vmi', b, '-n', ns]))?.status?.interfaces?.find((x: any) => x.name === 'back' && x.ipAddress), 90_000, 500);
      const vm = await getJson(['vm', b, '-n', ns]);
      const idx = vm.spec.template.spec.domain.devices.interfaces.findIndex((x: any) => x.name === 'back');
      await kubectlOk(['patch', 'vm', b, '-n', ns, '--type', 'json', '-p', JSON.stringify([{ op: 'add', path: `/spec/template/spec/domain/devices/interfaces/${idx}/state`, value: 'absent' }])]);
      await eventually('back cleared', async () => {
        const [vmiNow, vmNow] = await Promise.all([getJson(['vmi', b, '-n', ns]), getJson(['vm', b, '-n', ns])]);
        const names = (l: { name: string }[] = []) => l.map((x) => x.name);
        return !names(vmiNow.status.interfaces).includes('back') && !names(vmiNow.spec.domain.devices.interfaces).includes('back') && !names(vmNow.spec.template.spec.domain.devices.interfaces).includes('back');
      }, 45_000, 500);
    }
    const before = await getJson(['vmi', b, '-n', ns]);
    expect((await api('PUT', subresource(ns, 'virtualmachines', b, 'migrate'), { as: 'admin' })).status).toBe(202);
    await eventually('migration', async () => {
      const vmi = await getJson(['vmi', b, '-n', ns]);
      return vmi?.status?.migrationState?.completed && vmi.status.migrationState.targetPod !== before.status?.migrationState?.targetPod && vmi.status.nodeName !== before.status.nodeName && vmi;
    }, 90_000, 300);
    const t0 = Date.now();
    const shell = await serialShell(ns, b);
    const out = await shell.run(`ping -c 2 -W 3 ${lanA.ipAddress} >/dev/null; echo PING-RC-$?`, /PING-RC-\d+/, 30_000);
    const rc = Number(/PING-RC-(\d+)/.exec(out)![1]);
    if (rc !== 0) {
      const diag = await shell.run(`date; ip -4 -o addr; ip neigh; cat /proc/net/dev | grep eth; ping -c 3 -W 3 ${lanA.ipAddress}; echo PING2-RC-$?; echo D$((1+1))ONE`, /D2ONE/, 40_000);
      const sa = await serialShell(ns, a);
      const da = await sa.run(`ip -4 -o addr; ip neigh; cat /proc/net/dev | grep eth; echo D$((1+1))ONE`, /D2ONE/, 20_000);
      sa.close();
      failures.push(`iter ${i} after ${Date.now() - t0}ms:\nB:\n${diag}\nA:\n${da}`);
      console.log(failures[failures.length - 1]);
    } else console.log(`iter ${i} ok`);
    shell.close();
  }
  expect(failures).toEqual([]);
}, 1_800_000);
