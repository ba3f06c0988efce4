import { describe, expect, it } from 'vitest';
import { emptyFilter, filterRows, joinRows, matchesLabel, sortRows } from './rows';
import { formatBytes, parseQuantity } from './quantity';
import { interfaceAddresses, ipAddresses, networks, vcpus } from './selectors';
import type { VirtualMachine, VirtualMachineInstance } from './types';

const vm = (ns: string, name: string, status: string, mem: string, labels: Record<string, string> = {}, created = '2026-01-01T00:00:00Z'): VirtualMachine => ({
  metadata: { namespace: ns, name, labels, creationTimestamp: created },
  spec: { template: { spec: { domain: { cpu: { cores: 2, sockets: 1, threads: 1 }, devices: {}, resources: { requests: { memory: mem } } } } } as never },
  status: { printableStatus: status },
});
const vmi = (ns: string, name: string, node: string, ips: string[]): VirtualMachineInstance => ({
  metadata: { namespace: ns, name },
  spec: { domain: { devices: {} } } as never,
  status: { nodeName: node, interfaces: [{ name: 'default', ipAddress: ips[0], ipAddresses: ips, mac: '02:00:00:00:00:01' }] },
});

describe('VM list rows', () => {
  const rows = joinRows(
    [vm('team-a', 'web-10', 'Running', '1Gi', { app: 'web' }, '2026-01-02T00:00:00Z'), vm('team-a', 'web-9', 'Stopped', '512Mi', { app: 'web' }), vm('team-b', 'db', 'Running', '2Gi', { app: 'db' })],
    [vmi('team-a', 'web-10', 'worker-1', ['10.0.0.5']), vmi('team-b', 'db', 'worker-2', ['10.0.0.7', 'fd00::7'])],
  );

  it('joins a VM with its VMI for node, addresses, CPU and memory', () => {
    const web = rows.find((r) => r.name === 'web-10')!;
    expect(web).toMatchObject({ node: 'worker-1', ips: ['10.0.0.5'], cpu: 2, memory: 2 ** 30, status: 'Running' });
    expect(rows.find((r) => r.name === 'web-9')).toMatchObject({ node: '', ips: [] });
  });

  it('searches across name, namespace, node, IP and labels', () => {
    expect(filterRows(rows, { ...emptyFilter, text: 'fd00' }).map((r) => r.name)).toEqual(['db']);
    expect(filterRows(rows, { ...emptyFilter, text: 'WEB team-a' }).map((r) => r.name).sort()).toEqual(['web-10', 'web-9']);
    expect(filterRows(rows, { ...emptyFilter, text: 'app=db' }).map((r) => r.name)).toEqual(['db']);
  });

  it('filters by status, namespace, node and label', () => {
    expect(filterRows(rows, { ...emptyFilter, statuses: ['Running'] })).toHaveLength(2);
    expect(filterRows(rows, { ...emptyFilter, namespaces: ['team-b'] }).map((r) => r.name)).toEqual(['db']);
    expect(filterRows(rows, { ...emptyFilter, nodes: ['worker-1'] }).map((r) => r.name)).toEqual(['web-10']);
    expect(filterRows(rows, { ...emptyFilter, label: 'app=web' })).toHaveLength(2);
    expect(matchesLabel({ app: 'web' }, 'app')).toBe(true);
    expect(matchesLabel({ app: 'web' }, 'tier')).toBe(false);
  });

  it('sorts naturally (web-9 before web-10), by numbers for memory, newest first for age', () => {
    expect(sortRows(rows, { column: 'name', direction: 'asc' }).map((r) => r.name)).toEqual(['db', 'web-9', 'web-10']);
    expect(sortRows(rows, { column: 'memory', direction: 'desc' }).map((r) => r.name)).toEqual(['db', 'web-10', 'web-9']);
    expect(sortRows(rows, { column: 'age', direction: 'asc' })[0]!.name).toBe('web-10');
  });
});

describe('selectors and quantities', () => {
  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('bogus')).toBeUndefined();
    expect(formatBytes(128 * 2 ** 20)).toBe('128 MiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
  });
  it('lists addresses per interface and de-duplicates the flat list', () => {
    const i = vmi('n', 'v', 'w', ['10.0.0.1', '10.0.0.1']);
    expect(interfaceAddresses(i)[0]).toMatchObject({ name: 'default', mac: '02:00:00:00:00:01' });
    expect(ipAddresses(i)).toEqual(['10.0.0.1']);
  });
  it('counts vCPUs from the topology', () => {
    expect(vcpus(vm('n', 'v', 'Running', '1Gi'))).toBe(2);
  });
});

describe('networks', () => {
  const vmWith = (spec: Record<string, unknown>) => ({ metadata: { name: 'v' }, spec: { template: { spec: { domain: { devices: {} }, ...spec } } } }) as unknown as VirtualMachine;
  it('shows KubeVirt\'s default pod network for a VM that declares none, bound as its VMI has it', () => {
    const vm = vmWith({});
    expect(networks(vm)).toEqual([{ name: 'default', network: 'pod', binding: '', implicit: true }]);
    const vmi = { spec: { domain: { devices: { interfaces: [{ name: 'default', masquerade: {}, macAddress: '02:00:00:00:00:01' }] } }, networks: [{ name: 'default', pod: {} }] } } as unknown as VirtualMachineInstance;
    expect(networks(vm, vmi)).toEqual([{ name: 'default', network: 'pod', binding: 'masquerade', mac: '02:00:00:00:00:01', model: undefined, implicit: true }]);
  });
  it('shows what the VM declares, and nothing when it turns the pod interface off', () => {
    const vm = vmWith({
      domain: { devices: { interfaces: [{ name: 'lab', bridge: {} }] } },
      networks: [{ name: 'lab', multus: { networkName: 'lab' } }],
    });
    expect(networks(vm)).toEqual([{ name: 'lab', network: 'lab', binding: 'bridge', model: undefined, mac: undefined }]);
    expect(networks(vmWith({ domain: { devices: { autoattachPodInterface: false } } }))).toEqual([]);
  });
});
