// Issue 4, acceptance 4: NetworkAttachmentDefinitions become guest NICs with their IPAM addresses; each bridge VLAN
// is its own L2 segment; interfaces hot-plug into a running VM (and leave it with `state: absent`).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, serialShell, subresource, type SerialShell } from './api.ts';
import { waitForMigration } from './migrations.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const run = randomBytes(3).toString('hex');
// A bridge of this run's own: its VLANs are segments no other test (or developer) shares.
const bridge = `br-${run}`;
const nadName = (n: string) => `${n}-${run}`;
const vfResource = 'sandbox.kubevirt.io/sriov-vf';
const vms: string[] = [];

function nad(name: string, config: object, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: nadName(name), namespace: ns, annotations },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: nadName(name), ...config }) },
  };
}

const nads = [
  // blue and red share a subnet on purpose: only the VLAN keeps them apart.
  nad('blue', { type: 'bridge', bridge, vlan: 10, ipam: { type: 'whereabouts', range: '10.77.0.0/24' } }),
  nad('red', { type: 'bridge', bridge, vlan: 20, ipam: { type: 'whereabouts', range: '10.77.0.0/24', range_start: '10.77.0.100' } }),
  nad('green', { type: 'bridge', bridge, vlan: 30, ipam: { type: 'host-local', subnet: '10.78.0.0/24' } }),
  nad('vf', { type: 'sriov', vlan: 40, ipam: { type: 'whereabouts', range: '10.79.0.0/24' } }, { 'k8s.v1.cni.cncf.io/resourceName': vfResource }),
];

type Nic = { name: string; nad: string; binding?: 'bridge' | 'sriov' };

async function createVm(prefix: string, nics: Nic[]) {
  const name = uniqueName(prefix);
  const vm = docExampleVm(name, ns) as any;
  for (const n of nics) {
    vm.spec.template.spec.domain.devices.interfaces.push({ name: n.name, [n.binding ?? 'bridge']: {} });
    vm.spec.template.spec.networks.push({ name: n.name, multus: { networkName: nadName(n.nad) } });
  }
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
  vms.push(name);
  return name;
}

/**
 * The VMI's status entry for an interface, once it reports an IPv4 address. A timeout says what the VMI showed
 * (the agent's and the pause conditions, the interfaces it reports): an address that never came because the guest's
 * agent went away reads differently from a NIC that was never plugged.
 */
const addressed = (vm: string, iface: string) =>
  eventually(`${vm}/${iface} to report its address`, async () => {
    const vmi = await getJson(['vmi', vm, '-n', ns]);
    return vmi?.status?.interfaces?.find((i: any) => i.name === iface && i.ipAddress);
  }, 90_000, 500).catch(async (e: Error) => {
    const vmi = await getJson(['vmi', vm, '-n', ns]);
    const shown = {
      node: vmi?.status?.nodeName,
      conditions: (vmi?.status?.conditions ?? []).filter((c: any) => ['AgentConnected', 'Paused', 'Ready'].includes(c.type)).map((c: any) => `${c.type}=${c.status}`),
      interfaces: (vmi?.status?.interfaces ?? []).map((i: any) => `${i.name}:${i.ipAddress ?? '-'}`),
    };
    throw new Error(`${e.message}; the VMI showed ${JSON.stringify(shown)} (the simulator log says when a guest agent stopped answering)`);
  });

/** ping's exit code from the guest: 0 when it got answers, 1 when none came. */
async function ping(shell: SerialShell, ip: string): Promise<number> {
  const out = await shell.run(`ping -c 2 -W 3 ${ip} >/dev/null; echo PING-RC-$?`, /PING-RC-\d+\r?\n/, 20_000);
  return Number(/PING-RC-(\d+)/.exec(out)![1]);
}

let a: string, b: string, c: string, e: string;

beforeAll(async () => {
  await kubectlOk(['apply', '-f', '-'], { input: nads.map((n) => YAML.stringify(n)).join('---\n') });
  a = await createVm('net-a', [{ name: 'lan', nad: 'blue' }, { name: 'back', nad: 'green' }]);
  b = await createVm('net-b', [{ name: 'lan', nad: 'blue' }]);
  c = await createVm('net-c', [{ name: 'lan', nad: 'red' }]);
  e = await createVm('net-e', [{ name: 'fast', nad: 'vf', binding: 'sriov' }]);
  for (const vm of [a, b, c, e]) await waitForPrintableStatus(ns, vm, 'Running', 60_000);
}, 120_000);

afterAll(async () => {
  for (const vm of vms) await kubectl(['delete', 'vm', vm, '-n', ns, '--wait=false']);
  for (const n of nads) await kubectl(['delete', 'network-attachment-definitions', n.metadata.name, '-n', ns, '--ignore-not-found']);
});

describe('secondary networks', () => {
  it('gives each NIC its address from the NAD\'s IPAM, in the guest and in status.interfaces', async () => {
    const lanA = await addressed(a, 'lan');
    const lanB = await addressed(b, 'lan');
    const lanC = await addressed(c, 'lan');
    expect(lanA.ipAddress).toMatch(/^10\.77\.0\.([1-9]|[1-9]\d)$/);
    expect(lanB.ipAddress).toMatch(/^10\.77\.0\.([1-9]|[1-9]\d)$/);
    expect(lanB.ipAddress).not.toBe(lanA.ipAddress);
    expect(lanC.ipAddress).toMatch(/^10\.77\.0\.1\d\d$/);
    expect(lanA).toMatchObject({ ipAddresses: [lanA.ipAddress], podInterfaceName: expect.stringMatching(/^pod[0-9a-f]{11}$/), interfaceName: 'eth1' });
    expect(lanA.infoSource).toContain('multus-status');

    // Multus's record on the virt-launcher pod agrees.
    const vmi = await getJson(['vmi', a, '-n', ns]);
    const pod = (await getJson(['pods', '-n', ns, '-l', `kubevirt.io/created-by=${vmi.metadata.uid}`])).items[0];
    const status = JSON.parse(pod.metadata.annotations['k8s.v1.cni.cncf.io/network-status']);
    expect(status).toContainEqual(expect.objectContaining({ name: `${ns}/${nadName('blue')}`, interface: lanA.podInterfaceName, ips: [lanA.ipAddress], mac: lanA.mac }));

    const shell = await serialShell(ns, a);
    // Markers the shell computes, so the echo of the command line never matches.
    const out = await shell.run('ip -4 -o addr show dev eth1; echo E$((1+1))ND', /E2ND/);
    shell.close();
    expect(out).toContain(`inet ${lanA.ipAddress}/24`);
  });

  it('lets guests on the same NAD reach each other, and keeps another VLAN apart', async () => {
    const lanB = await addressed(b, 'lan');
    const lanC = await addressed(c, 'lan');
    const shell = await serialShell(ns, a);
    expect(await ping(shell, lanB.ipAddress)).toBe(0);
    // Same subnet, other VLAN: the ARP request never reaches it.
    expect(await ping(shell, lanC.ipAddress)).toBe(1);
    shell.close();
  });

  it('hot-plugs a bridge interface into a running VM with its address, and unplugs it with state: absent', async () => {
    const backA = await addressed(a, 'back');
    await kubectlOk(['patch', 'vm', b, '-n', ns, '--type', 'json', '-p', JSON.stringify([
      { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'back', bridge: {} } },
      { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'back', multus: { networkName: nadName('green') } } },
    ])]);
    const backB = await addressed(b, 'back');
    expect(backB.ipAddress).toMatch(/^10\.78\.0\.\d+$/);
    expect(backB.ipAddress).not.toBe(backA.ipAddress);
    const vmi = await getJson(['vmi', b, '-n', ns]);
    expect(vmi.spec.networks.map((n: any) => n.name)).toContain('back');

    const shell = await serialShell(ns, b);
    expect(await ping(shell, backA.ipAddress)).toBe(0);

    const vm = await getJson(['vm', b, '-n', ns]);
    const idx = vm.spec.template.spec.domain.devices.interfaces.findIndex((i: any) => i.name === 'back');
    await kubectlOk(['patch', 'vm', b, '-n', ns, '--type', 'json', '-p', JSON.stringify([
      { op: 'add', path: `/spec/template/spec/domain/devices/interfaces/${idx}/state`, value: 'absent' },
    ])]);
    // Gone from the VMI's status, then cleared from both specs.
    await eventually('the interface to be unplugged and cleared', async () => {
      const [vmiNow, vmNow] = await Promise.all([getJson(['vmi', b, '-n', ns]), getJson(['vm', b, '-n', ns])]);
      const names = (l: { name: string }[] = []) => l.map((x) => x.name);
      return !names(vmiNow.status.interfaces).includes('back')
        && !names(vmiNow.spec.domain.devices.interfaces).includes('back') && !names(vmiNow.spec.networks).includes('back')
        && !names(vmNow.spec.template.spec.domain.devices.interfaces).includes('back') && !names(vmNow.spec.template.spec.networks).includes('back');
    }, 45_000, 500);
    const links = await shell.run(`echo LINKS-$(ip -o link | grep -ci ${backB.mac})`, /LINKS-\d+\r?\n/);
    shell.close();
    expect(links).toMatch(/LINKS-0/);
  });

  it('keeps a VM\'s secondary NIC and address through a live migration', async () => {
    const lanA = await addressed(a, 'lan');
    const before = await getJson(['vmi', b, '-n', ns]);
    const lanB = before.status.interfaces.find((i: any) => i.name === 'lan');
    expect((await api('PUT', subresource(ns, 'virtualmachines', b, 'migrate'), { as: 'admin' })).status).toBe(202);
    const after = await waitForMigration(before);
    expect(after.status.interfaces.find((i: any) => i.name === 'lan')).toMatchObject({ mac: lanB.mac, ipAddress: lanB.ipAddress });
    const shell = await serialShell(ns, b);
    expect(await ping(shell, lanA.ipAddress)).toBe(0);
    shell.close();
  });

  it('puts an SR-IOV interface on its VF pool, with the VF requested from the node', async () => {
    const fast = await addressed(e, 'fast');
    expect(fast.ipAddress).toMatch(/^10\.79\.0\.\d+$/);
    const vmi = await getJson(['vmi', e, '-n', ns]);
    const pod = (await getJson(['pods', '-n', ns, '-l', `kubevirt.io/created-by=${vmi.metadata.uid}`])).items[0];
    expect(pod.spec.containers[0].resources.requests[vfResource]).toBe('1');
    expect(pod.spec.containers[0].resources.limits[vfResource]).toBe('1');
  });

  it('attaches a hot-plugged SR-IOV interface through a live migration, as KubeVirt does', async () => {
    await kubectlOk(['patch', 'vm', e, '-n', ns, '--type', 'json', '-p', JSON.stringify([
      { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'fast2', sriov: {} } },
      { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'fast2', multus: { networkName: nadName('vf') } } },
    ])]);
    // In the VMI's spec at once, but a VF is not plugged in place: the running domain does not get it.
    await eventually('the VMI spec to have the interface', async () => (await getJson(['vmi', e, '-n', ns]))?.spec?.networks?.some((n: any) => n.name === 'fast2'));
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getJson(['vmi', e, '-n', ns])).status.interfaces.map((i: any) => i.name)).not.toContain('fast2');

    const before = await getJson(['vmi', e, '-n', ns]);
    expect((await api('PUT', subresource(ns, 'virtualmachines', e, 'migrate'), { as: 'admin' })).status).toBe(202);
    await waitForMigration(before);
    const fast2 = await addressed(e, 'fast2');
    expect(fast2.ipAddress).toMatch(/^10\.79\.0\.\d+$/);
    const vmi = await getJson(['vmi', e, '-n', ns]);
    const pod = (await getJson(['pods', '-n', ns, '-l', `kubevirt.io/created-by=${vmi.metadata.uid}`])).items.find((p: any) => p.status.phase === 'Running');
    expect(pod.spec.containers[0].resources.requests[vfResource]).toBe('2');
  });

  it('shows a missing NAD on the VM and makes no pod', async () => {
    const name = uniqueName('net-x');
    const vm = docExampleVm(name, ns) as any;
    vm.spec.template.spec.domain.devices.interfaces.push({ name: 'lan', bridge: {} });
    vm.spec.template.spec.networks.push({ name: 'lan', multus: { networkName: 'no-such-nad' } });
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
    vms.push(name);
    const cond = await eventually('the VM to show the missing NAD', async () => {
      const v = await getJson(['vm', name, '-n', ns]);
      return v?.status?.conditions?.find((x: any) => x.type === 'Synchronized' && x.status === 'False');
    });
    expect(cond).toMatchObject({ reason: 'FailedCreate', message: `failed to locate network attachment definition ${ns}/no-such-nad` });
    const vmi = await getJson(['vmi', name, '-n', ns]);
    expect((await getJson(['pods', '-n', ns, '-l', `kubevirt.io/created-by=${vmi.metadata.uid}`])).items).toEqual([]);
  });
});
