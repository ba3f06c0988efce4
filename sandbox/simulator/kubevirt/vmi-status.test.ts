import { describe, expect, it } from 'vitest';
import { computeVmiStatus, liveMigratable, vmiPhase } from './vmi-status.ts';
import { wholeQuantity } from '../kube/quantity.ts';
import { memoryOverheadBytes } from './launcher-pod.ts';
import type { VMI } from './types.ts';
import { podInterfaceName } from '../network/secondary.ts';

const base = (extra: Record<string, unknown> = {}): VMI =>
  ({
    metadata: { name: 'v', namespace: 'n', uid: 'u' },
    spec: {
      domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }] }, resources: { requests: { memory: '128Mi' } } },
      networks: [{ name: 'default', pod: {} }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }],
    },
    ...extra,
  }) as unknown as VMI;
const pod = { uid: 'p', name: 'virt-launcher-v-abcde', phase: 'Running', nodeName: 'worker-1', podIP: '10.244.1.5', deleting: false };
const domain = { running: true, paused: false, macs: { default: '02:00:00:00:00:01' } };

describe('VMI phase', () => {
  it('follows pod and domain', () => {
    expect(vmiPhase(base(), {})).toBe('Pending');
    expect(vmiPhase(base(), { pod: { ...pod, phase: 'Pending' } })).toBe('Scheduling');
    expect(vmiPhase(base(), { pod })).toBe('Scheduled');
    expect(vmiPhase(base(), { pod, domain })).toBe('Running');
    expect(vmiPhase(base({ status: { phase: 'Running' } }), { pod: { ...pod, phase: 'Failed' } })).toBe('Failed');
    expect(vmiPhase(base({ status: { phase: 'Running' } }), { pod, ended: 'Succeeded' })).toBe('Succeeded');
  });
});

describe('VMI status', () => {
  it('reports the pod IP on the pod network and Ready from the pod', () => {
    const s = computeVmiStatus(base(), { pod, domain, claims: { c: { accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', bound: true } } });
    expect(s.phase).toBe('Running');
    expect(s.nodeName).toBe('worker-1');
    expect(s.interfaces![0]).toMatchObject({ name: 'default', ipAddress: '10.244.1.5', mac: '02:00:00:00:00:01', podInterfaceName: 'eth0', infoSource: 'domain' });
    expect(s.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  });
  it('lists a secondary interface as the domain has it: the guest\'s address, its pod interface, absent until unplugged', () => {
    const vmi = base();
    vmi.spec!.domain.devices!.interfaces!.push({ name: 'lan', bridge: {}, state: 'absent' } as never);
    vmi.spec!.networks!.push({ name: 'lan', multus: { networkName: 'lab' } });
    const agent = { interfaces: [{ name: 'eth1', mac: '02:00:00:00:00:02', ips: ['10.10.0.3'] }] };
    const plugged = { ...domain, agent, macs: { ...domain.macs, lan: '02:00:00:00:00:02' } };
    const lan = computeVmiStatus(vmi, { pod, domain: plugged }).interfaces!.find((i) => i.name === 'lan');
    expect(lan).toMatchObject({
      ipAddress: '10.10.0.3', interfaceName: 'eth1', podInterfaceName: podInterfaceName('lan'), infoSource: 'domain, guest-agent, multus-status',
    });
    expect(computeVmiStatus(vmi, { pod, domain }).interfaces!.map((i) => i.name)).toEqual(['default']);
  });
  it('keeps a hot-plugged volume taken out of the spec as Detaching while the domain still has it', () => {
    const vmi = base();
    vmi.spec!.volumes!.push({ name: 'hot', persistentVolumeClaim: { claimName: 'h', hotpluggable: true } } as never);
    vmi.spec!.domain.devices!.disks = [{ name: 'data' }, { name: 'hot' }] as never;
    const plugged = { ...domain, hotplugged: ['hot'] };
    const before = computeVmiStatus(vmi, { pod, domain: plugged });
    expect(before.volumeStatus!.find((v) => v.name === 'hot')).toMatchObject({ phase: 'Ready', target: 'vdb' });

    const hotVolume = vmi.spec!.volumes!.find((v) => v.name === 'hot')!;
    vmi.spec!.volumes = vmi.spec!.volumes!.filter((v) => v.name !== 'hot');
    vmi.status = before;
    // Before the domain starts the unplug, and while the guest holds the device.
    for (const view of [plugged, { ...domain, hotplugged: [], unplugging: ['hot'] }]) {
      const held = computeVmiStatus(vmi, { pod, domain: view });
      expect(held.volumeStatus!.find((v) => v.name === 'hot')).toMatchObject({ phase: 'Detaching', target: 'vdb', reason: 'VolumeReady' });
    }
    vmi.status = computeVmiStatus(vmi, { pod, domain: { ...domain, hotplugged: [], unplugging: ['hot'] } });
    expect(computeVmiStatus(vmi, { pod, domain: { ...domain, hotplugged: [] } }).volumeStatus!.map((v) => v.name)).toEqual(['data']);

    // Added back while its device is still on its way out: it waits to be attached again.
    vmi.spec!.volumes!.push(hotVolume);
    const back = computeVmiStatus(vmi, { pod, domain: { ...domain, hotplugged: [], unplugging: ['hot'] } });
    expect(back.volumeStatus!.filter((v) => v.name === 'hot')).toMatchObject([{ phase: 'Pending', target: '' }]);
  });
  it('names a missing claim', () => {
    const s = computeVmiStatus(base(), { claims: {} });
    const c = s.conditions!.find((x) => x.type === 'Synchronized')!;
    expect([c.reason, c.message]).toEqual(['FailedPvcNotFound', 'PVC n/c does not exist, waiting for it to appear']);
  });
  it('is not live-migratable with a ReadWriteOnce claim', () => {
    const s = computeVmiStatus(base(), { pod, domain, claims: { c: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', bound: true } } });
    const lm = liveMigratable(base({ status: s }));
    expect(lm.reason).toBe('DisksNotLiveMigratable');
    expect(lm.message).toContain('PVC c is not shared');
  });
});

describe('launcher pod sizing', () => {
  it('parses quantities', () => {
    expect(wholeQuantity('128Mi')).toBe(128 * 1024 ** 2);
    expect(wholeQuantity('64M')).toBe(64e6);
    expect(wholeQuantity('100m', true)).toBe(100);
  });
  it('adds virt-launcher overhead to the guest memory', () => {
    // KubeVirt v1.6's GetMemoryOverhead for 128Mi and one vCPU: 220Mi fixed + 8Mi vCPU + 8Mi IOThread + 32Mi video
    // + 256Ki page tables; with the guest's 128Mi, 396.25Mi, which the pod asks for as 397Mi.
    expect(Math.ceil((wholeQuantity('128Mi') + memoryOverheadBytes(base())) / 1024 ** 2)).toBe(397);
  });
});
