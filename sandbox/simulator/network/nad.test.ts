import { describe, expect, it } from 'vitest';
import { nadRef, planOf, type Nad } from './nad.ts';

const nad = (config: unknown, annotations?: Record<string, string>): Nad => ({
  metadata: { namespace: 'team-a', name: 'net', annotations },
  spec: { config: typeof config === 'string' ? config : JSON.stringify(config) },
});

describe('nadRef', () => {
  it('reads "<nad>" in the VMI namespace and "<ns>/<nad>" across namespaces', () => {
    expect(nadRef('team-a', 'lab')).toEqual({ namespace: 'team-a', name: 'lab' });
    expect(nadRef('team-a', 'shared/lab')).toEqual({ namespace: 'shared', name: 'lab' });
  });
});

describe('planOf', () => {
  it('puts a bridge NAD on its bridge and VLAN, with its IPAM', () => {
    const p = planOf(nad({ cniVersion: '0.3.1', type: 'bridge', bridge: 'br1', vlan: 10, ipam: { type: 'whereabouts', range: '10.10.0.0/24' } }));
    expect(p).toMatchObject({ type: 'bridge', segment: 'bridge/br1/vlan10', vlan: 10, ipam: { type: 'whereabouts', range: '10.10.0.0/24' } });
  });

  it('makes the same bridge on another VLAN another segment, and no VLAN the untagged one', () => {
    const a = planOf(nad({ type: 'bridge', bridge: 'br1', vlan: 10 }));
    const b = planOf(nad({ type: 'bridge', bridge: 'br1', vlan: 20 }));
    const c = planOf(nad({ type: 'bridge', bridge: 'br1' }));
    expect(new Set([a.segment, b.segment, c.segment]).size).toBe(3);
    expect(c.segment).toBe('bridge/br1/vlan0');
  });

  it('reads the first plugin of a conflist, and an SR-IOV NAD with its device resource', () => {
    const p = planOf(nad({ cniVersion: '0.4.0', plugins: [{ type: 'sriov', vlan: 30, ipam: { type: 'static', addresses: [{ address: '10.30.0.5/24' }] } }, { type: 'tuning' }] }, { 'k8s.v1.cni.cncf.io/resourceName': 'example.com/vf' }));
    expect(p).toMatchObject({ type: 'sriov', segment: 'sriov/example.com/vf/vlan30', resourceName: 'example.com/vf' });
  });

  it('refuses a config that is not JSON, or not a CNI config, naming the NAD', () => {
    expect(() => planOf(nad('{nope'))).toThrow('network attachment definition team-a/net has no valid JSON in spec.config');
    expect(() => planOf(nad({ type: 'bridge', vlan: 5000 }))).toThrow(/team-a\/net has an invalid CNI config/);
    expect(() => planOf({ metadata: { namespace: 'team-a', name: 'net' } })).toThrow(/no valid JSON/);
  });
});
