import { describe, expect, it } from 'vitest';
import type { NetworkOption } from '../shared/create-api';
import type { VmNetwork } from './create/form';
import {
  attachOutcome,
  attachPatch,
  attachProblems,
  attachRequest,
  declaredNetworks,
  detachOutcome,
  detachPatch,
  detachRefusal,
  INTERFACE_ACCESS,
  INTERFACE_OPERATIONS,
  interfaceRows,
  restartRequired,
  type JsonPatchOp,
} from './interfaces';
import { nadKey, nadOption } from './nads';
import type { VirtualMachine, VirtualMachineInstance } from './types';

type Iface = Record<string, unknown> & { name: string };
type Net = Record<string, unknown> & { name: string };

const pod: [Iface, Net] = [{ name: 'default', masquerade: {} }, { name: 'default', pod: {} }];
const lab: [Iface, Net] = [{ name: 'lab', bridge: {} }, { name: 'lab', multus: { networkName: 'lab' } }];
const fast: [Iface, Net] = [{ name: 'fast', sriov: {} }, { name: 'fast', multus: { networkName: 'fast' } }];

function vmOf(nics: [Iface, Net][], over: { devices?: Record<string, unknown>; conditions?: unknown[]; rv?: string } = {}): VirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', namespace: 'team-a', resourceVersion: over.rv ?? '42' },
    spec: {
      runStrategy: 'Always',
      template: {
        spec: {
          domain: { devices: { ...(nics.length ? { interfaces: nics.map(([i]) => i) } : {}), ...over.devices } },
          ...(nics.length ? { networks: nics.map(([, n]) => n) } : {}),
        },
      },
    },
    ...(over.conditions ? { status: { conditions: over.conditions } } : {}),
  } as unknown as VirtualMachine;
}

type Reported = { name?: string; mac?: string; ipAddress?: string; ipAddresses?: string[]; infoSource?: string; interfaceName?: string; linkState?: string };

function vmiOf(nics: [Iface, Net][], reported: Reported[], over: { phase?: string; conditions?: unknown[] } = {}): VirtualMachineInstance {
  return {
    metadata: { name: 'vm1', namespace: 'team-a' },
    spec: { domain: { devices: { interfaces: nics.map(([i]) => i) } }, networks: nics.map(([, n]) => n) },
    status: { phase: over.phase ?? 'Running', interfaces: reported, conditions: over.conditions ?? [] },
  } as unknown as VirtualMachineInstance;
}

const podUp: Reported = { name: 'default', mac: '02:00:00:00:00:01', ipAddress: '10.244.0.5', ipAddresses: ['10.244.0.5'], infoSource: 'domain, guest-agent', interfaceName: 'eth0', linkState: 'up' };
const labUp: Reported = { name: 'lab', mac: '02:00:00:00:00:02', ipAddress: '10.101.0.7', ipAddresses: ['10.101.0.7'], infoSource: 'domain, guest-agent, multus-status', interfaceName: 'eth1' };

const req = (name: string, networkName: string | undefined, binding: VmNetwork['binding'] = 'bridge'): VmNetwork => ({
  name,
  source: networkName ? { kind: 'multus', networkName } : { kind: 'pod' },
  binding,
});

const offered: NetworkOption[] = [
  { namespace: 'team-a', name: 'lab', type: 'bridge', vlan: 101 },
  { namespace: 'team-a', name: 'fast', type: 'sriov', vlan: 201 },
];

// Just enough of RFC 6902 to see what a patch makes of a VM, and that its tests hold against the VM it was built from.
function applyPatch<T>(doc: T, ops: JsonPatchOp[]): T {
  const out = structuredClone(doc) as unknown;
  for (const op of ops) {
    const keys = op.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = out as Record<string, unknown> | unknown[];
    for (const k of keys) parent = (parent as Record<string, unknown>)[k] as Record<string, unknown>;
    if (parent === undefined) throw new Error(`no parent for ${op.path}`);
    if (op.op === 'test') {
      if (JSON.stringify((parent as Record<string, unknown>)[last]) !== JSON.stringify(op.value)) throw new Error(`test failed at ${op.path}`);
    } else if (op.op === 'add' && Array.isArray(parent)) {
      parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
    } else if (op.op === 'add' || op.op === 'replace') {
      (parent as Record<string, unknown>)[last] = op.value;
    } else if (Array.isArray(parent)) {
      parent.splice(Number(last), 1);
    } else {
      delete (parent as Record<string, unknown>)[last];
    }
  }
  return out as T;
}

const template = (vm: VirtualMachine) => vm.spec!.template!.spec!;

describe('the declared operations', () => {
  it('attach and detach are JSON patches of the VM: the access review is patch virtualmachines.kubevirt.io', () => {
    expect(INTERFACE_OPERATIONS.attach.access).toEqual({ verb: 'patch', group: 'kubevirt.io', resource: 'virtualmachines' });
    expect(INTERFACE_OPERATIONS.detach.access).toEqual(INTERFACE_OPERATIONS.attach.access);
    expect(INTERFACE_ACCESS).toHaveLength(2);
  });
});

describe('nadOption and nadKey', () => {
  it('reads the CNI type and VLAN of a NAD, from its config or its first plugin', () => {
    const nad = (config: unknown) => ({ metadata: { name: 'lab', namespace: 'team-a' }, spec: { config: JSON.stringify(config) } });
    expect(nadOption(nad({ type: 'bridge', vlan: 101 }))).toEqual({ namespace: 'team-a', name: 'lab', type: 'bridge', vlan: 101 });
    expect(nadOption(nad({ plugins: [{ type: 'sriov', vlan: 201 }, { type: 'tuning' }] }))).toMatchObject({ type: 'sriov', vlan: 201 });
    expect(nadOption({ metadata: { name: 'x', namespace: 'team-a' }, spec: { config: 'not json' } })).toEqual({ namespace: 'team-a', name: 'x', type: 'unknown' });
  });

  it('reads a networkName as Multus does: bare in the VM\'s namespace', () => {
    expect(nadKey('lab', 'team-a')).toBe('team-a/lab');
    expect(nadKey('shared/lab', 'team-a')).toBe('shared/lab');
  });
});

describe('interfaceRows', () => {
  it('an interface the VMI reports is attached, with its addresses, their source and the name in the guest', () => {
    const rows = interfaceRows(vmOf([pod, lab]), vmiOf([pod, lab], [podUp, labUp]));
    expect(rows).toEqual([
      { name: 'default', network: { kind: 'pod' }, binding: 'masquerade', mac: podUp.mac, ips: ['10.244.0.5'], infoSource: 'domain, guest-agent', ipSource: 'guestAgent', guestName: 'eth0', linkState: 'up', state: 'attached' },
      { name: 'lab', network: { kind: 'multus', namespace: 'team-a', name: 'lab' }, binding: 'bridge', mac: labUp.mac, ips: ['10.101.0.7'], infoSource: labUp.infoSource, ipSource: 'guestAgent', guestName: 'eth1', state: 'attached' },
    ]);
  });

  it('says where addresses came from when the guest agent did not give them', () => {
    const multusOnly = { ...labUp, infoSource: 'domain, multus-status', interfaceName: undefined };
    const domainOnly = { ...podUp, infoSource: 'domain' };
    const rows = interfaceRows(vmOf([pod, lab]), vmiOf([pod, lab], [domainOnly, multusOnly]));
    expect(rows.map((r) => r.ipSource)).toEqual(['other', 'multus']);
    // ipAddress alone (an older KubeVirt) still counts.
    const single = interfaceRows(vmOf([pod]), vmiOf([pod], [{ name: 'default', ipAddress: '10.0.0.1' }]));
    expect(single[0]).toMatchObject({ ips: ['10.0.0.1'], state: 'attached' });
    expect(single[0]!.ipSource).toBeUndefined();
  });

  it('a bridge interface in the VM\'s spec and not yet in the VMI\'s status is attaching', () => {
    const rows = interfaceRows(vmOf([pod, lab]), vmiOf([pod], [podUp]));
    expect(rows.map((r) => [r.name, r.state])).toEqual([['default', 'attached'], ['lab', 'attaching']]);
    // Copied to the VMI's spec already, still not plugged: the same.
    expect(interfaceRows(vmOf([pod, lab]), vmiOf([pod, lab], [podUp]))[1]!.state).toBe('attaching');
  });

  it('an SR-IOV interface not yet in the guest waits for a live migration, which KubeVirt may start itself', () => {
    const rows = interfaceRows(vmOf([pod, fast]), vmiOf([pod, fast], [podUp]));
    expect(rows[1]).toMatchObject({ name: 'fast', binding: 'sriov', state: 'waitingMigration' });
    expect(rows[1]!.migrationAutomatic).toBeUndefined();
    const auto = interfaceRows(vmOf([pod, fast]), vmiOf([pod, fast], [podUp], { conditions: [{ type: 'MigrationRequired', status: 'True' }] }));
    expect(auto[1]).toMatchObject({ state: 'waitingMigration', migrationAutomatic: true });
  });

  it('what KubeVirt does not hot-plug (a pod network added to a running VM) waits for a restart', () => {
    const rows = interfaceRows(vmOf([lab, pod]), vmiOf([lab], [labUp]));
    expect(rows.map((r) => [r.name, r.state])).toEqual([['lab', 'attached'], ['default', 'waitingRestart']]);
  });

  it('state: absent is detaching until KubeVirt has cleared it; an interface only the VMI still has waits for a restart', () => {
    const absent: [Iface, Net] = [{ ...lab[0], state: 'absent' }, lab[1]];
    expect(interfaceRows(vmOf([pod, absent]), vmiOf([pod, absent], [podUp, labUp]))[1]!.state).toBe('detaching');
    expect(interfaceRows(vmOf([pod, absent]), vmiOf([pod, absent], [podUp]))[1]!.state).toBe('detaching');
    // Cleared from the VM's spec first: the VMI's absent copy is still detaching.
    expect(interfaceRows(vmOf([pod]), vmiOf([pod, absent], [podUp, labUp]))[1]).toMatchObject({ name: 'lab', state: 'detaching' });
    // Removed from the VM's spec by an edit: the running guest keeps it until a restart.
    expect(interfaceRows(vmOf([pod]), vmiOf([pod, lab], [podUp, labUp]))[1]).toMatchObject({ name: 'lab', state: 'waitingRestart', ips: ['10.101.0.7'] });
  });

  it('a stopped VM\'s interfaces come when it runs; a finished VMI counts as none', () => {
    expect(interfaceRows(vmOf([pod, lab]), undefined).map((r) => r.state)).toEqual(['notRunning', 'notRunning']);
    const done = vmiOf([pod, lab], [podUp, labUp], { phase: 'Succeeded' });
    expect(interfaceRows(vmOf([pod, lab]), done).map((r) => [r.state, r.ips])).toEqual([['notRunning', []], ['notRunning', []]]);
  });

  it('shows KubeVirt\'s own pod network of a VM that declares none, and what only the guest agent reports', () => {
    const vmi = vmiOf([[{ name: 'default', bridge: {} }, { name: 'default', pod: {} }]], [podUp, { mac: '02:aa:00:00:00:09', infoSource: 'guest-agent', interfaceName: 'br0', ipAddresses: ['192.168.7.1'] }]);
    const rows = interfaceRows(vmOf([]), vmi);
    expect(rows[0]).toMatchObject({ name: 'default', network: { kind: 'pod' }, binding: 'bridge', state: 'attached', implicit: true });
    expect(rows[1]).toMatchObject({ name: '', network: { kind: 'unknown' }, guestOnly: true, guestName: 'br0', ips: ['192.168.7.1'], ipSource: 'guestAgent' });
    expect(interfaceRows(vmOf([]), undefined)).toEqual([{ name: 'default', network: { kind: 'pod' }, binding: '', ips: [], state: 'notRunning', implicit: true }]);
    // autoattachPodInterface: false means no network at all.
    expect(interfaceRows(vmOf([], { devices: { autoattachPodInterface: false } }), undefined)).toEqual([]);
  });

  it('names a NAD in another namespace by its own namespace', () => {
    const shared: [Iface, Net] = [{ name: 'corp', bridge: {} }, { name: 'corp', multus: { networkName: 'infra/corp' } }];
    expect(interfaceRows(vmOf([pod, shared]), undefined)[1]!.network).toEqual({ kind: 'multus', namespace: 'infra', name: 'corp' });
  });
});

describe('restartRequired', () => {
  it('is the VM\'s RestartRequired condition with KubeVirt\'s message', () => {
    expect(restartRequired(vmOf([pod]))).toBeUndefined();
    expect(restartRequired(vmOf([pod], { conditions: [{ type: 'RestartRequired', status: 'True', message: 'a non-live-updatable field was changed in the template spec' }] }))).toEqual({
      message: 'a non-live-updatable field was changed in the template spec',
    });
    expect(restartRequired(vmOf([pod], { conditions: [{ type: 'RestartRequired', status: 'False' }] }))).toBeUndefined();
  });
});

describe('attachProblems: what KubeVirt would refuse, before it is sent', () => {
  const vm = vmOf([pod, lab]);
  const vmi = vmiOf([pod, lab], [podUp, labUp]);

  it('accepts a new bridge interface on a bridge NAD, and an SR-IOV one on an SR-IOV NAD', () => {
    expect(attachProblems(vm, vmi, req('lab2', 'lab'), offered)).toEqual([]);
    expect(attachProblems(vm, vmi, req('fast', 'fast', 'sriov'), offered)).toEqual([]);
  });

  it.each([
    ['a name the VM already has', req('lab', 'lab'), [{ field: 'name', message: 'networks.duplicateName' }]],
    ['masquerade on a NAD', req('lab2', 'lab', 'masquerade'), [{ field: 'binding', message: 'networks.masqueradeSecondary' }]],
    ['a second pod network', req('pod2', undefined, 'masquerade'), [{ field: 'source', message: 'networks.podTwice' }]],
    ['SR-IOV on a bridge NAD', req('lab2', 'lab', 'sriov'), [{ field: 'binding', message: 'networks.sriovNeedsSriovNad', params: { type: 'bridge' } }]],
    ['bridge on an SR-IOV NAD', req('fast', 'fast', 'bridge'), [{ field: 'binding', message: 'networks.sriovNadNeedsSriov' }]],
    ['a NAD the namespace does not offer', req('blue', 'blue'), [{ field: 'source.networkName', message: 'nad.unknown' }]],
  ])('refuses %s, with its reason, on the attach form\'s field', (_what, r, problems) => {
    expect(attachProblems(vm, vmi, r, offered)).toEqual(problems);
  });

  it('only the new interface\'s problems: what the VM has is not held against it, and unknown NADs pass when the NADs are not known', () => {
    const broken = vmOf([pod, [{ name: 'x', masquerade: {} }, { name: 'x', multus: { networkName: 'lab' } }]]);
    expect(attachProblems(broken, undefined, req('lab2', 'lab'), offered)).toEqual([]);
    expect(attachProblems(vm, vmi, req('blue', 'blue'))).toEqual([]);
  });

  it('an absent interface keeps its name until KubeVirt clears it; KubeVirt\'s implicit pod network counts as one', () => {
    const absent = vmOf([pod, [{ ...lab[0], state: 'absent' }, lab[1]]]);
    expect(attachProblems(absent, undefined, req('lab', 'lab'), offered)).toEqual([{ field: 'name', message: 'networks.duplicateName' }]);
    expect(attachProblems(vmOf([]), undefined, req('default', 'lab'), offered)).toEqual([{ field: 'name', message: 'networks.duplicateName' }]);
    expect(attachProblems(vmOf([]), undefined, req('p', undefined, 'masquerade'), offered)).toEqual([{ field: 'source', message: 'networks.podTwice' }]);
    expect(declaredNetworks(vmOf([]), undefined)).toEqual([{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }]);
  });

  it('the route\'s body is the wizard\'s interface, and nothing else', () => {
    expect(attachRequest.safeParse(req('lab2', 'lab')).success).toBe(true);
    expect(attachRequest.safeParse({ ...req('lab2', 'lab'), state: 'absent' }).success).toBe(false);
    expect(attachRequest.safeParse(req('Lab_2', 'lab')).error?.issues[0]).toMatchObject({ path: ['name'], message: 'name.dns1123' });
    expect(attachRequest.safeParse(req('lab2', 'Bad/Name/x')).success).toBe(false);
  });
});

describe('attachOutcome', () => {
  const migratable = [{ type: 'LiveMigratable', status: 'True' }];
  it('a bridge NIC hot-plugs, an SR-IOV one waits for a migration (or a restart, if the VM cannot migrate), the rest for a restart', () => {
    const vmi = vmiOf([pod], [podUp], { conditions: migratable });
    expect(attachOutcome(vmOf([pod]), vmi, req('lab', 'lab'))).toBe('hotplug');
    expect(attachOutcome(vmOf([pod]), vmi, req('fast', 'fast', 'sriov'))).toBe('migration');
    expect(attachOutcome(vmOf([pod]), vmiOf([pod], [podUp], { conditions: [{ type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable' }] }), req('fast', 'fast', 'sriov'))).toBe('restart');
    expect(attachOutcome(vmOf([lab]), vmiOf([lab], [labUp]), req('default', undefined, 'masquerade'))).toBe('restart');
    expect(attachOutcome(vmOf([pod]), undefined, req('lab', 'lab'))).toBe('nextStart');
  });
});

describe('attachPatch', () => {
  it('appends the interface and its network, after a test of the resourceVersion it was built from', () => {
    const vm = vmOf([pod]);
    const ops = attachPatch(vm, undefined, req('lab', 'lab'));
    expect(ops).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'lab', bridge: {} } },
      { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'lab', multus: { networkName: 'lab' } } },
    ]);
    expect(template(applyPatch(vm, ops))).toEqual(template(vmOf([pod, lab])));
    // Applied to the VM after a change of its own, the test fails.
    expect(() => applyPatch(vmOf([pod], { rv: '43' }), ops)).toThrow(/test failed/);
  });

  it('an SR-IOV interface gets sriov: {}', () => {
    expect(attachPatch(vmOf([pod]), undefined, req('fast', 'fast', 'sriov'))[1]).toEqual({ op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'fast', sriov: {} } });
  });

  it('a VM that declared no interface keeps KubeVirt\'s pod network, with the binding its VMI has', () => {
    const vm = vmOf([]);
    const vmi = vmiOf([[{ name: 'default', bridge: {} }, { name: 'default', pod: {} }]], [podUp]);
    const after = template(applyPatch(vm, attachPatch(vm, vmi, req('lab', 'lab'))));
    expect(after.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }, { name: 'lab', bridge: {} }]);
    expect(after.networks).toEqual([{ name: 'default', pod: {} }, { name: 'lab', multus: { networkName: 'lab' } }]);
    // Stopped: masquerade, as the wizard gives the pod network.
    expect(template(applyPatch(vm, attachPatch(vm, undefined, req('lab', 'lab')))).domain.devices.interfaces![0]).toEqual({ name: 'default', masquerade: {} });
  });

  it('a VM without interfaces by choice (autoattachPodInterface: false), or without devices, gets only the new one', () => {
    const none = vmOf([], { devices: { autoattachPodInterface: false } });
    const after = template(applyPatch(none, attachPatch(none, undefined, req('lab', 'lab'))));
    expect(after.domain.devices.interfaces).toEqual([{ name: 'lab', bridge: {} }]);
    expect(after.networks).toEqual([{ name: 'lab', multus: { networkName: 'lab' } }]);
    const bare = vmOf([pod]);
    (template(bare) as { domain: { devices?: unknown } }).domain.devices = undefined;
    delete (template(bare) as { networks?: unknown }).networks;
    const ops = attachPatch(bare, undefined, req('lab', 'lab'));
    expect(ops[1]).toEqual({ op: 'add', path: '/spec/template/spec/domain/devices', value: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'lab', bridge: {} }] } });
  });

  it('is built only from a VM as read from the API server', () => {
    const vm = vmOf([pod]);
    delete vm.metadata!.resourceVersion;
    expect(() => attachPatch(vm, undefined, req('lab', 'lab'))).toThrow(/resourceVersion/);
  });
});

describe('detach', () => {
  const running = (nics: [Iface, Net][]) => vmiOf(nics, [podUp, labUp]);

  it('KubeVirt unplugs only a declared bridge interface that is not the default network from a running VM', () => {
    expect(detachRefusal(vmOf([pod, lab]), running([pod, lab]), 'lab')).toBeUndefined();
    expect(detachRefusal(vmOf([pod, lab]), running([pod, lab]), 'blue')).toEqual({ key: 'nic.reason.notDeclared', vars: { name: 'blue' }, missing: true });
    expect(detachRefusal(vmOf([pod, fast]), running([pod, fast]), 'fast')).toEqual({ key: 'nic.reason.bridgeOnly', vars: { name: 'fast', binding: 'sriov' } });
    expect(detachRefusal(vmOf([pod, lab]), running([pod, lab]), 'default')).toEqual({ key: 'nic.reason.bridgeOnly', vars: { name: 'default', binding: 'masquerade' } });
    const bridgedPod: [Iface, Net] = [{ name: 'default', bridge: {} }, { name: 'default', pod: {} }];
    expect(detachRefusal(vmOf([bridgedPod, lab]), running([bridgedPod, lab]), 'default')).toEqual({ key: 'nic.reason.defaultNetwork', vars: { name: 'default' } });
    const absent: [Iface, Net] = [{ ...lab[0], state: 'absent' }, lab[1]];
    expect(detachRefusal(vmOf([pod, absent]), running([pod, absent]), 'lab')).toEqual({ key: 'nic.reason.detaching', vars: { name: 'lab' } });
    // KubeVirt's own pod network is not the VM's to detach.
    expect(detachRefusal(vmOf([]), running([pod]), 'default')).toMatchObject({ key: 'nic.reason.notDeclared', missing: true });
  });

  it('a stopped VM loses any declared interface', () => {
    expect(detachRefusal(vmOf([pod, fast]), undefined, 'fast')).toBeUndefined();
    expect(detachRefusal(vmOf([pod, lab]), undefined, 'default')).toBeUndefined();
    expect(detachOutcome(undefined)).toBe('remove');
    expect(detachOutcome(running([pod]))).toBe('unplug');
  });

  it('running: state: absent on the interface, at an index the patch checks', () => {
    const vm = vmOf([pod, lab]);
    const ops = detachPatch(vm, running([pod, lab]), 'lab');
    expect(ops).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'test', path: '/spec/template/spec/domain/devices/interfaces/1/name', value: 'lab' },
      { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/1/state', value: 'absent' },
    ]);
    expect(template(applyPatch(vm, ops)).domain.devices.interfaces![1]).toEqual({ name: 'lab', bridge: {}, state: 'absent' });
  });

  it('stopped: the interface and its network leave the spec', () => {
    const vm = vmOf([pod, lab, fast]);
    const after = template(applyPatch(vm, detachPatch(vm, undefined, 'lab')));
    expect(after).toEqual(template(vmOf([pod, fast])));
  });

  it('the last interface of a stopped VM leaves no pod network to be added in its place', () => {
    const vm = vmOf([lab]);
    const after = template(applyPatch(vm, detachPatch(vm, undefined, 'lab')));
    expect(after.domain.devices).toEqual({ interfaces: [], autoattachPodInterface: false });
    expect(after.networks).toEqual([]);
    expect(() => detachPatch(vm, undefined, 'nope')).toThrow();
  });
});
