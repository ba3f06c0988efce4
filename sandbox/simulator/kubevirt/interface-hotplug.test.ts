import { describe, expect, it } from 'vitest';
import { applyInterfaceRequests, clearDetachedInterfaces, interfacePatch, type NetSpec } from './interface-hotplug.ts';

const spec = (ifaces: object[], nets: object[]): NetSpec => ({ domain: { devices: { interfaces: ifaces as never } }, networks: nets as never });
const pod = { name: 'default', masquerade: {} };
const podNet = { name: 'default', pod: {} };
const blue = { name: 'blue', bridge: {} };
const blueNet = { name: 'blue', multus: { networkName: 'lab' } };

describe('applyInterfaceRequests', () => {
  it('adds a new bridge or SR-IOV interface with its network to the VMI', () => {
    const fast = { name: 'fast', sriov: {} };
    const fastNet = { name: 'fast', multus: { networkName: 'vf' } };
    const next = applyInterfaceRequests(spec([pod, blue, fast], [podNet, blueNet, fastNet]), spec([pod], [podNet]));
    expect(next.interfaces.map((i) => i.name)).toEqual(['default', 'blue', 'fast']);
    expect(next.networks).toEqual([podNet, blueNet, fastNet]);
  });

  it('does not hot-plug what KubeVirt cannot: a masquerade interface, an absent one, one without a network', () => {
    const next = applyInterfaceRequests(
      spec([pod, { name: 'm', masquerade: {} }, { name: 'gone', bridge: {}, state: 'absent' }, { name: 'orphan', bridge: {} }], [podNet, { name: 'm', pod: {} }, { name: 'gone', multus: { networkName: 'x' } }]),
      spec([pod], [podNet]),
    );
    expect(next.interfaces.map((i) => i.name)).toEqual(['default']);
  });

  it('copies state: absent to the VMI interface, leaving the VMI its own other fields', () => {
    const vmiBlue = { ...blue, model: 'virtio', macAddress: '02:00:00:00:00:01' };
    const next = applyInterfaceRequests(spec([pod, { ...blue, state: 'absent' }], [podNet, blueNet]), spec([pod, vmiBlue], [podNet, blueNet]));
    expect(next.interfaces[1]).toEqual({ ...vmiBlue, state: 'absent' });
  });
});

describe('clearDetachedInterfaces', () => {
  it('drops an absent interface and its network once nothing reports it, not before', () => {
    const s = spec([pod, { ...blue, state: 'absent' }], [podNet, blueNet]);
    expect(clearDetachedInterfaces(s, new Set(['default', 'blue'])).interfaces).toHaveLength(2);
    expect(clearDetachedInterfaces(s, new Set(['default']))).toEqual({ interfaces: [pod], networks: [podNet] });
  });
});

describe('interfacePatch', () => {
  it('tests the old lists before replacing them, and is empty when nothing changes', () => {
    const s = spec([pod], [podNet]);
    expect(interfacePatch('/spec', s, { interfaces: [pod], networks: [podNet] })).toEqual([]);
    expect(interfacePatch('/spec/template/spec', s, { interfaces: [pod, blue], networks: [podNet, blueNet] })).toEqual([
      { op: 'test', path: '/spec/template/spec/domain/devices/interfaces', value: [pod] },
      { op: 'replace', path: '/spec/template/spec/domain/devices/interfaces', value: [pod, blue] },
      { op: 'test', path: '/spec/template/spec/networks', value: [podNet] },
      { op: 'replace', path: '/spec/template/spec/networks', value: [podNet, blueNet] },
    ]);
  });
});
