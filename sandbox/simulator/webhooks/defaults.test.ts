import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { clusterConfigFromKubeVirt, defaultClusterConfig, sandboxClusterConfig } from './cluster-config.ts';
import { defaultNewVmi, setDefaultNetworkInterface, setDefaultVmiSpec, setDefaultVolumeDisk, setVirtualMachineDefaults } from './defaults.ts';
import { formatBinary, isDNS1123Label, parseMacLength, quantityInt, quantityMilli, type Obj } from './util.ts';

describe('cluster configuration', () => {
  it('matches the seeded KubeVirt CR', () => {
    const docs = YAML.parseAllDocuments(readFileSync(new URL('../../manifests/seed/30-kubevirt.yaml', import.meta.url), 'utf8')).map((d) => d.toJS() as Obj);
    const kv = docs.find((d) => d?.kind === 'KubeVirt');
    expect(clusterConfigFromKubeVirt(kv)).toEqual(sandboxClusterConfig);
    expect(sandboxClusterConfig.defaultNetworkInterface).toBe('masquerade');
    expect(sandboxClusterConfig.liveUpdate).toBe(true);
  });

  it('falls back to KubeVirt 1.6 defaults', () => {
    expect(clusterConfigFromKubeVirt({})).toEqual(defaultClusterConfig);
    expect(clusterConfigFromKubeVirt({ spec: { configuration: { network: { defaultNetworkInterface: 'nonsense' } } } }).defaultNetworkInterface).toBe('bridge');
    expect(clusterConfigFromKubeVirt({ spec: { configuration: { vmRolloutStrategy: 'Stage' } } }).liveUpdate).toBe(false);
  });
});

describe('setDefaultNetworkInterface', () => {
  const bare = (): Obj => ({ domain: { devices: {} } });

  it('attaches the pod network with the cluster default binding', () => {
    const s = bare();
    expect(setDefaultNetworkInterface(sandboxClusterConfig, s)).toBeUndefined();
    expect(s).toEqual({ domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }] } }, networks: [{ name: 'default', pod: {} }] });
    const b = bare();
    setDefaultNetworkInterface(defaultClusterConfig, b);
    expect(b.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }]);
  });

  it('does nothing when interfaces or networks exist, or autoattachPodInterface is false', () => {
    const withNet: Obj = { domain: { devices: {} }, networks: [{ name: 'x', multus: { networkName: 'n' } }] };
    setDefaultNetworkInterface(sandboxClusterConfig, withNet);
    expect(withNet.domain.devices.interfaces).toBeUndefined();
    const off: Obj = { domain: { devices: { autoattachPodInterface: false } } };
    setDefaultNetworkInterface(sandboxClusterConfig, off);
    expect(off.networks).toBeUndefined();
  });

  it('reports what KubeVirt reports when the default cannot be applied', () => {
    const noBridge = clusterConfigFromKubeVirt({ spec: { configuration: { network: { permitBridgeInterfaceOnPodNetwork: false } } } });
    expect(setDefaultNetworkInterface(noBridge, bare())).toBe('bridge interface is not enabled in kubevirt-config');
    const slirp = clusterConfigFromKubeVirt({ spec: { configuration: { network: { defaultNetworkInterface: 'slirp' } } } });
    expect(setDefaultNetworkInterface(slirp, bare())).toBe('slirp interface is deprecated as of v1.3');
  });
});

describe('VMI spec defaults', () => {
  it('adds disks for bare volumes', () => {
    const s: Obj = { domain: { devices: { disks: [{ name: 'a' }], filesystems: [{ name: 'fs' }] } }, volumes: [{ name: 'a' }, { name: 'b' }, { name: 'fs' }] };
    setDefaultVolumeDisk(s);
    expect(s.domain.devices.disks).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('derives guest memory, requests and CPU topology', () => {
    const s: Obj = { domain: { devices: {}, resources: { limits: { memory: '1Gi', cpu: '2' } } } };
    setDefaultVmiSpec(sandboxClusterConfig, s);
    expect(s.domain.resources).toEqual({ limits: { memory: '1Gi', cpu: '2' }, requests: { cpu: '2', memory: '1Gi' } });
    expect(s.domain.memory).toEqual({ guest: '1Gi' });
    expect(s.domain.cpu).toEqual({ sockets: 2, cores: 1, threads: 1 });
    const g: Obj = { domain: { devices: {}, memory: { guest: '2Gi' } } };
    setDefaultVmiSpec(clusterConfigFromKubeVirt({ spec: { configuration: { developerConfiguration: { memoryOvercommit: 200 } } } }), g);
    expect(g.domain.resources.requests.memory).toBe('1Gi');
  });

  it('sets the VMI mutator defaults: SATA bus, CD-ROM tray, features, probes, no hotplug below 1Gi', () => {
    const vmi: Obj = {
      metadata: { name: 'v' },
      spec: {
        domain: { devices: { disks: [{ name: 'a' }, { name: 'cd', cdrom: {} }] }, resources: { requests: { memory: '128Mi' } } },
        readinessProbe: { tcpSocket: { port: 22 } },
        volumes: [{ name: 'a', containerDisk: { image: 'x' } }, { name: 'cd', containerDisk: { image: 'x:latest' } }],
      },
    };
    expect(defaultNewVmi(sandboxClusterConfig, vmi, { now: () => 'T', uuid: () => 'U' })).toBeUndefined();
    expect(vmi.spec.domain.devices.disks).toEqual([
      { name: 'a', disk: { bus: 'sata' } },
      { name: 'cd', cdrom: { bus: 'sata', readonly: true, tray: 'closed' } },
    ]);
    expect(vmi.spec.domain.features).toEqual({ acpi: { enabled: true } });
    expect(vmi.spec.readinessProbe).toEqual({ tcpSocket: { port: 22 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(vmi.spec.volumes.map((v: Obj) => v.containerDisk.imagePullPolicy)).toEqual(['Always', 'Always']);
    expect(vmi.spec.domain.memory).toEqual({ guest: '128Mi' });
    expect(vmi.spec.domain.cpu.maxSockets).toBe(4);
    expect(vmi.status.memory).toEqual({ guestAtBoot: '128Mi', guestCurrent: '128Mi', guestRequested: '128Mi' });
  });

  it('VM defaults: matcher kinds, architecture and machine type', () => {
    const vm: Obj = { spec: { instancetype: { name: 'u1.small' }, preference: { name: 'linux' }, template: { spec: { domain: { devices: {} } } } } };
    setVirtualMachineDefaults(sandboxClusterConfig, vm, undefined);
    expect(vm.spec.instancetype.kind).toBe('virtualmachineclusterinstancetype');
    expect(vm.spec.preference.kind).toBe('virtualmachineclusterpreference');
    expect(vm.spec.template.spec.architecture).toBe('amd64');
    expect(vm.spec.template.spec.domain.machine).toEqual({ type: 'q35' });
  });
});

describe('util', () => {
  it('parses quantities', () => {
    expect(quantityInt('1Gi')).toBe(1073741824);
    expect(quantityInt('1G')).toBe(1e9);
    expect(quantityInt('1.5Ki')).toBe(1536);
    expect(quantityInt('1e3')).toBe(1000);
    expect(quantityMilli('500m')).toBe(500);
    expect(quantityInt('garbage')).toBe(0);
    expect(formatBinary(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBinary(1000)).toBe('1000');
  });

  it('parses MAC addresses like net.ParseMAC', () => {
    expect(parseMacLength('02:00:00:00:00:01')).toBe(6);
    expect(parseMacLength('02-00-00-00-00-01')).toBe(6);
    expect(parseMacLength('0200.0000.0001')).toBe(6);
    expect(parseMacLength('02:00:00:00:00:00:00:01')).toBe(8);
    expect(parseMacLength('02:00:00:00:00')).toBeUndefined();
    expect(parseMacLength('02:00-00:00:00:01')).toBeUndefined();
  });

  it('checks DNS-1123 labels', () => {
    expect(isDNS1123Label('rootdisk')).toEqual([]);
    expect(isDNS1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });
});
