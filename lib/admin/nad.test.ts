import { describe, expect, it } from 'vitest';
import { checkNad, cniConfig, cniConfigText, describeNad, nadInput, nadManifest, problemSentence, type NadInput, type NadSummary } from './nad';
import { ipToInt, parseCidr } from './ipv4';

// The sandbox's seeded NADs (sandbox/launcher/seed.ts): team-a's lab on br-lab VLAN 101, fast on the SR-IOV pool.
const seeded = (ns: string, vlan: number): { metadata: { namespace: string; name: string; annotations: Record<string, string> }; spec: { config: string } }[] => [
  {
    metadata: { namespace: ns, name: 'lab', annotations: {} },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: 'lab', type: 'bridge', bridge: 'br-lab', vlan, ipam: { type: 'whereabouts', range: `10.${vlan}.0.0/24` } }) },
  },
  {
    metadata: { namespace: ns, name: 'fast', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'sandbox.kubevirt.io/sriov-vf' } },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: 'fast', type: 'sriov', vlan: vlan + 100, ipam: { type: 'whereabouts', range: `10.${vlan + 100}.0.0/24` } }) },
  },
];
const existing: NadSummary[] = [...seeded('team-a', 101), ...seeded('team-b', 102)].map(describeNad);

const bridge = (over: Partial<NadInput> = {}, ipam: Partial<NadInput['ipam']> = {}): NadInput => ({
  namespace: 'team-a',
  name: 'storage',
  kind: 'bridge',
  bridge: 'br-lab',
  vlan: '300',
  ...over,
  ipam: { kind: 'whereabouts', subnet: '10.30.0.0/24', ...ipam },
});

const keys = (input: NadInput, ex: NadSummary[] = existing) => {
  const r = checkNad(input, ex);
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.key}`);
};

describe('describeNad', () => {
  it('reads the seeded NADs: wire, VLAN and the addresses they hand out', () => {
    expect(existing[0]).toMatchObject({ namespace: 'team-a', name: 'lab', type: 'bridge', bridge: 'br-lab', vlan: 101, segment: 'bridge/br-lab/vlan101', ipamType: 'whereabouts', subnets: ['10.101.0.0/24'] });
    expect(existing[0]!.ranges).toEqual([{ first: ipToInt('10.101.0.1'), last: ipToInt('10.101.0.254') }]);
    expect(existing[1]).toMatchObject({ type: 'sriov', resourceName: 'sandbox.kubevirt.io/sriov-vf', vlan: 201, segment: 'sriov/sandbox.kubevirt.io/sriov-vf/vlan201' });
  });

  it('reads host-local ranges, whereabouts start-end forms and plugin lists', () => {
    const hl = describeNad({ metadata: { namespace: 'n', name: 'h' }, spec: { config: JSON.stringify({ plugins: [{ type: 'bridge', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/16', rangeStart: '10.1.2.0', rangeEnd: '10.1.2.255' }]] } }] }) } });
    expect(hl).toMatchObject({ bridge: 'cni0', segment: 'bridge/cni0/vlan0', ranges: [{ first: ipToInt('10.1.2.0'), last: ipToInt('10.1.2.255') }] });
    const wa = describeNad({ metadata: { namespace: 'n', name: 'w' }, spec: { config: JSON.stringify({ type: 'bridge', bridge: 'b', ipam: { type: 'whereabouts', range: '10.0.0.10-10.0.0.20/24' } }) } });
    expect(wa.ranges).toEqual([{ first: ipToInt('10.0.0.10'), last: ipToInt('10.0.0.20') }]);
  });

  it('keeps a NAD whose config is not JSON as unknown, out of every overlap check', () => {
    expect(describeNad({ metadata: { namespace: 'n', name: 'x' }, spec: { config: 'macvlan-conf' } })).toEqual({ namespace: 'n', name: 'x', type: 'unknown', subnets: [], ranges: [], config: 'macvlan-conf' });
  });
});

describe('checkNad', () => {
  it('accepts a bridge NAD and builds the config the sandbox reads', () => {
    const r = checkNad(bridge({}, { rangeStart: '10.30.0.10', rangeEnd: '10.30.0.99', gateway: '10.30.0.1' }), existing);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(cniConfig(r.spec)).toEqual({
      cniVersion: '0.3.1',
      name: 'storage',
      type: 'bridge',
      bridge: 'br-lab',
      vlan: 300,
      ipam: { type: 'whereabouts', range: '10.30.0.0/24', range_start: '10.30.0.10', range_end: '10.30.0.99', gateway: '10.30.0.1' },
    });
    expect(nadManifest(r.spec)).toEqual({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: 'storage', namespace: 'team-a' },
      spec: { config: cniConfigText(r.spec) },
    });
    // What is stored reads back as the same wire and range.
    expect(describeNad(nadManifest(r.spec))).toMatchObject({ segment: 'bridge/br-lab/vlan300', ranges: [{ first: ipToInt('10.30.0.10'), last: ipToInt('10.30.0.99') }] });
  });

  it('builds host-local with subnet, rangeStart and rangeEnd', () => {
    const r = checkNad(bridge({ vlan: 7 }, { kind: 'host-local', rangeStart: '10.30.0.100' }), existing);
    expect(r.ok && cniConfig(r.spec)).toEqual({ cniVersion: '0.3.1', name: 'storage', type: 'bridge', bridge: 'br-lab', vlan: 7, ipam: { type: 'host-local', subnet: '10.30.0.0/24', rangeStart: '10.30.0.100' } });
  });

  it('builds SR-IOV with the resource name annotation and no bridge', () => {
    const r = checkNad({ namespace: 'team-b', name: 'fast2', kind: 'sriov', resourceName: 'sandbox.kubevirt.io/sriov-vf', bridge: 'ignored', vlan: 250, ipam: { kind: 'none' } }, existing);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = nadManifest(r.spec);
    expect(m.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/resourceName': 'sandbox.kubevirt.io/sriov-vf' });
    expect(JSON.parse(m.spec.config)).toEqual({ cniVersion: '0.3.1', name: 'fast2', type: 'sriov', vlan: 250 });
  });

  it('leaves the VLAN out when none is given (untagged)', () => {
    const r = checkNad(bridge({ vlan: '' }), existing);
    expect(r.ok && 'vlan' in cniConfig(r.spec)).toBe(false);
  });

  it('refuses VLAN IDs outside 1-4094', () => {
    for (const vlan of ['4095', '0', '-1', '12.5', 'ten', 5000]) expect(keys(bridge({ vlan })), String(vlan)).toEqual(['vlan:vlan.range']);
    expect(keys(bridge({ vlan: '4094' }))).toEqual([]);
    expect(keys(bridge({ vlan: 1 }))).toEqual([]);
  });

  it('refuses a range outside the subnet, in the wrong order, and a subnet that is not its network', () => {
    expect(keys(bridge({}, { rangeStart: '10.30.1.10' }))).toEqual(['ipam.rangeStart:range.outsideSubnet']);
    expect(keys(bridge({}, { rangeEnd: '10.30.0.255' }))).toEqual(['ipam.rangeEnd:range.outsideSubnet']);
    expect(keys(bridge({}, { rangeStart: '10.30.0.0' }))).toEqual(['ipam.rangeStart:range.outsideSubnet']);
    expect(keys(bridge({}, { rangeStart: '10.30.0.50', rangeEnd: '10.30.0.40' }))).toEqual(['ipam.rangeStart:range.order']);
    expect(keys(bridge({}, { gateway: '10.31.0.1' }))).toEqual(['ipam.gateway:gateway.outsideSubnet']);
    expect(keys(bridge({}, { subnet: '10.30.0.5/24' }))).toEqual(['ipam.subnet:subnet.notNetwork']);
    expect(keys(bridge({}, { subnet: '10.30.0.0/31' }))).toEqual(['ipam.subnet:subnet.tooSmall']);
    expect(keys(bridge({}, { subnet: '10.30.0.0' }))).toEqual(['ipam.subnet:subnet.invalid']);
    expect(keys(bridge({}, { subnet: '' }))).toEqual(['ipam.subnet:subnet.required']);
    expect(keys(bridge({}, { rangeStart: '10.30.0.010' }))).toEqual(['ipam.rangeStart:address.invalid']);
    const r = checkNad(bridge({}, { rangeStart: '10.30.1.10' }), existing);
    expect(!r.ok && r.problems[0]!.params).toEqual({ subnet: '10.30.0.0/24', first: '10.30.0.1', last: '10.30.0.254' });
  });

  it('refuses an overlap with another NAD on the same bridge and VLAN, in any namespace', () => {
    // team-a's lab is br-lab VLAN 101, 10.101.0.1-254.
    const r = checkNad(bridge({ namespace: 'team-b', vlan: 101 }, { subnet: '10.101.0.0/24', rangeStart: '10.101.0.200', rangeEnd: '10.101.0.210' }), existing);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([{ field: 'ipam.rangeStart', key: 'range.overlap', params: { namespace: 'team-a', name: 'lab', range: '10.101.0.1-10.101.0.254' } }]);
    expect(!r.ok && problemSentence(r.problems[0]!)).toContain('team-a/lab');
    // Without a range of its own the whole subnet is its range, and the problem sits on the subnet.
    expect(keys(bridge({ vlan: 101 }, { subnet: '10.101.0.0/16' }))).toEqual(['ipam.subnet:range.overlap']);
  });

  it('allows the same range on another VLAN or bridge, and a disjoint range on the same wire', () => {
    expect(keys(bridge({ vlan: 103 }, { subnet: '10.101.0.0/24' }))).toEqual([]);
    expect(keys(bridge({ vlan: 101, bridge: 'br-other' }, { subnet: '10.101.0.0/24' }))).toEqual([]);
    expect(keys(bridge({ vlan: 101 }, { subnet: '10.102.0.0/24' }))).toEqual([]);
    // L2 only: nothing to overlap.
    expect(keys(bridge({ vlan: 101 }, { kind: 'none' }))).toEqual([]);
  });

  it('compares SR-IOV NADs by resource name and VLAN', () => {
    const sriov = (vlan: number, resourceName = 'sandbox.kubevirt.io/sriov-vf') => ({ namespace: 'ops', name: 'vf', kind: 'sriov', resourceName, vlan, ipam: { kind: 'whereabouts', subnet: '10.201.0.0/25' } });
    expect(keys(sriov(201))).toEqual(['ipam.subnet:range.overlap']);
    expect(keys(sriov(202))).toEqual([]);
    expect(keys(sriov(201, 'example.com/other-vf'))).toEqual([]);
  });

  it('refuses a name already taken in the namespace, bad names and missing parts', () => {
    expect(keys(bridge({ name: 'lab', vlan: 999 }))).toEqual(['name:name.taken']);
    expect(keys(bridge({ name: 'Lab' }))).toEqual(['name:name.invalid']);
    expect(keys(bridge({ name: ' ' }))).toEqual(['name:name.required']);
    expect(keys(bridge({ namespace: '../x' }))).toEqual(['namespace:namespace.invalid']);
    expect(keys(bridge({ bridge: '' }))).toEqual(['bridge:bridge.required']);
    expect(keys(bridge({ bridge: 'a-very-long-bridge' }))).toEqual(['bridge:bridge.invalid']);
    expect(keys(bridge({ bridge: 'br/x' }))).toEqual(['bridge:bridge.invalid']);
    expect(keys({ ...bridge(), kind: 'sriov', resourceName: 'no-slash' })).toEqual(['resourceName:resourceName.invalid']);
    expect(keys({ ...bridge(), kind: 'macvlan' })).toEqual(['kind:kind.invalid']);
    expect(keys(bridge({}, { kind: 'dhcp' }))).toEqual(['ipam.kind:ipam.invalid']);
  });

  it('has an English sentence for every problem', () => {
    const r = checkNad({ namespace: 'x', name: '', kind: 'bridge', bridge: '', vlan: '4095', ipam: { kind: 'host-local', subnet: '1.2.3.4/24', gateway: 'x' } }, existing);
    expect(r.ok).toBe(false);
    for (const p of r.ok ? [] : r.problems) expect(problemSentence(p)).toMatch(/\.$/);
  });
});

describe('nadInput', () => {
  it('refuses fields it does not know', () => {
    expect(nadInput.safeParse({ ...bridge(), extra: 1 }).success).toBe(false);
    expect(nadInput.safeParse(bridge()).success).toBe(true);
  });
});

describe('ipv4', () => {
  it('parses CIDRs strictly', () => {
    expect(parseCidr('10.1.2.3/24')).toEqual({ address: ipToInt('10.1.2.3'), prefix: 24, network: ipToInt('10.1.2.0'), broadcast: ipToInt('10.1.2.255') });
    for (const bad of ['10.1.2/24', '10.1.2.3/33', '256.1.1.1/8', '01.1.1.1/8', '10.1.1.1', 'fd00::/64']) expect(parseCidr(bad), bad).toBeUndefined();
  });
});
