import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VMI } from '../kubevirt/types.ts';
import { launcherPod, virtualizationDevices } from '../kubevirt/launcher-pod.ts';
import { networksAnnotationFor, podInterfaceName, secondaryInterfaces } from './secondary.ts';

const vmi = {
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachineInstance',
  metadata: { name: 'vm', namespace: 'team-a', uid: 'u1' },
  spec: {
    domain: {
      devices: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'blue', bridge: {} }, { name: 'old', bridge: {}, state: 'absent' }, { name: 'fast', sriov: {} }] },
      resources: { requests: { memory: '128Mi' } },
    },
    networks: [
      { name: 'default', pod: {} },
      { name: 'blue', multus: { networkName: 'lab' } },
      { name: 'old', multus: { networkName: 'lab' } },
      { name: 'fast', multus: { networkName: 'infra/vf' } },
    ],
  },
} as unknown as VMI;

describe('secondary networks', () => {
  it('names the pod interface "pod" + the first 11 hex digits of sha256(network name)', () => {
    expect(podInterfaceName('blue')).toBe(`pod${createHash('sha256').update('blue').digest('hex').slice(0, 11)}`);
    expect(podInterfaceName('blue')).toMatch(/^pod[0-9a-f]{11}$/);
  });

  it('lists the Multus interfaces to plug, leaving out the pod network and absent ones', () => {
    expect(secondaryInterfaces(vmi).map((s) => [s.network, s.networkName])).toEqual([['blue', 'lab'], ['fast', 'infra/vf']]);
  });

  it('asks Multus for them on the virt-launcher pod, and requests the VF resource with a limit', () => {
    expect(JSON.parse(networksAnnotationFor(vmi)!)).toEqual([
      { name: 'lab', namespace: 'team-a', interface: podInterfaceName('blue') },
      { name: 'vf', namespace: 'infra', interface: podInterfaceName('fast') },
    ]);
    const pod = launcherPod(vmi, { 'example.com/vf': '1' }, { useEmulation: true }) as any;
    expect(pod.metadata.annotations['k8s.v1.cni.cncf.io/networks']).toBe(networksAnnotationFor(vmi));
    expect(pod.spec.containers[0].resources.requests['example.com/vf']).toBe('1');
    expect(pod.spec.containers[0].resources.limits).toEqual({ 'devices.kubevirt.io/tun': '1', 'example.com/vf': '1' });
  });

  it('asks for virt-handler\'s devices as virt-controller does: kvm and vhost-net only without emulation', () => {
    expect(virtualizationDevices(vmi, true)).toEqual({ 'devices.kubevirt.io/tun': '1' });
    expect(virtualizationDevices(vmi, false)).toEqual({ 'devices.kubevirt.io/kvm': '1', 'devices.kubevirt.io/tun': '1', 'devices.kubevirt.io/vhost-net': '1' });
    const bare = { ...vmi, spec: { ...vmi.spec, domain: { ...vmi.spec!.domain, devices: { autoattachPodInterface: false } } } } as typeof vmi;
    expect(virtualizationDevices(bare, true)).toEqual({});
  });
});
