import { describe, expect, it } from 'vitest';
import { clusterConfigFromKubeVirt, sandboxClusterConfig } from './cluster-config.ts';
import { validateNetworkCreation, validateNetworks } from './network-rules.ts';
import { FieldPath, type Obj } from './util.ts';

const root = FieldPath.of('spec', 'template', 'spec');
const spec = (interfaces: Obj[], networks: Obj[]): Obj => ({ domain: { devices: { interfaces } }, networks });
const run = (s: Obj, cfg = sandboxClusterConfig) => validateNetworks(root, s, cfg);
const ifacePath = (i: number, f: string) => `spec.template.spec.domain.devices.interfaces[${i}].${f}`;

describe('network admission rules (pkg/network/admitter)', () => {
  it('accepts the default masquerade interface on the pod network', () => {
    expect(run(spec([{ name: 'default', masquerade: {} }], [{ name: 'default', pod: {} }]))).toEqual([]);
  });

  it('accepts a bridge interface on a Multus network next to the pod network', () => {
    const s = spec(
      [{ name: 'default', masquerade: {} }, { name: 'vlan10', bridge: {} }],
      [{ name: 'default', pod: {} }, { name: 'vlan10', multus: { networkName: 'vlan10-nad' } }],
    );
    expect(run(s)).toEqual([]);
  });

  it('allows only one pod network', () => {
    const s = spec([{ name: 'a', masquerade: {} }, { name: 'b', masquerade: {} }], [{ name: 'a', pod: {} }, { name: 'b', pod: {} }]);
    expect(run(s)).toEqual([
      {
        type: 'FieldValueDuplicate',
        message: 'more than one interface is connected to a pod network in spec.template.spec.interfaces',
        field: 'spec.template.spec.interfaces',
      },
    ]);
  });

  it('allows one Multus default network and not together with the pod network', () => {
    const s = spec(
      [{ name: 'a', bridge: {} }, { name: 'b', bridge: {} }, { name: 'c', bridge: {} }],
      [{ name: 'a', multus: { networkName: 'x', default: true } }, { name: 'b', multus: { networkName: 'y', default: true } }, { name: 'c', pod: {} }],
    );
    expect(run(s)).toEqual([
      { type: 'FieldValueInvalid', message: 'Multus CNI should only have one default network', field: 'spec.template.spec.networks' },
      { type: 'FieldValueInvalid', message: 'Pod network cannot be defined when Multus default network is defined', field: 'spec.template.spec.networks' },
    ]);
  });

  it('requires exactly one network type and a Multus networkName', () => {
    expect(run(spec([{ name: 'a', bridge: {} }], [{ name: 'a' }]))).toEqual([
      { type: 'FieldValueRequired', message: 'should have a network type', field: 'spec.template.spec.networks[0]' },
    ]);
    expect(run(spec([{ name: 'a', bridge: {} }], [{ name: 'a', pod: {}, multus: { networkName: 'n' } }]))[0]).toEqual({
      type: 'FieldValueRequired',
      message: 'should have only one network type',
      field: 'spec.template.spec.networks[0]',
    });
    expect(run(spec([{ name: 'a', bridge: {} }], [{ name: 'a', multus: {} }]))).toEqual([
      { type: 'FieldValueRequired', message: 'CNI delegating plugin must have a networkName', field: 'spec.template.spec.networks[0]' },
    ]);
  });

  it('checks interface state values', () => {
    const nets = [{ name: 'default', pod: {} }, { name: 'sec', multus: { networkName: 'n' } }];
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'sec', bridge: {}, state: 'sleeping' }], nets))).toEqual([
      { type: 'FieldValueInvalid', message: 'logical sec interface state value is unsupported: sleeping', field: ifacePath(1, 'state') },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'sec', sriov: {}, state: 'down' }], nets))).toEqual([
      { type: 'FieldValueInvalid', message: `"sec" interface's state "down" is not supported for SR-IOV NICs`, field: ifacePath(1, 'state') },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'sec', sriov: {}, state: 'absent' }], nets))).toEqual([
      { type: 'FieldValueInvalid', message: `"sec" interface's state "absent" is supported only for bridge binding`, field: ifacePath(1, 'state') },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {}, state: 'absent' }], [{ name: 'default', pod: {} }]))).toEqual([
      { type: 'FieldValueInvalid', message: `"default" interface's state "absent" is supported only for bridge binding`, field: ifacePath(0, 'state') },
      { type: 'FieldValueInvalid', message: `"default" interface's state "absent" is not supported on default networks`, field: ifacePath(0, 'state') },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'sec', bridge: {}, state: 'absent' }], nets))).toEqual([]);
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'sec', bridge: {}, state: 'down' }], nets))).toEqual([]);
  });

  it('rejects a binding plugin together with a binding method', () => {
    expect(run(spec([{ name: 'default', masquerade: {}, binding: { name: 'passt' } }], [{ name: 'default', pod: {} }]))).toEqual([
      { type: 'FieldValueInvalid', message: 'logical default interface cannot have both binding plugin and interface binding method', field: ifacePath(0, 'binding') },
    ]);
  });

  it('allows masquerade only on the pod network and not with the reserved MAC', () => {
    expect(run(spec([{ name: 'sec', masquerade: {} }], [{ name: 'sec', multus: { networkName: 'n' } }]))).toEqual([
      { type: 'FieldValueInvalid', message: 'Masquerade interface only implemented with pod network', field: ifacePath(0, 'name') },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {}, macAddress: '02:00:00:00:00:00' }], [{ name: 'default', pod: {} }]))).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'The requested MAC address is reserved for the in-pod bridge. Please choose another one.',
        field: ifacePath(0, 'macAddress'),
      },
    ]);
  });

  it('rejects bridge on the pod network only when the cluster forbids it', () => {
    const s = spec([{ name: 'default', bridge: {} }], [{ name: 'default', pod: {} }]);
    expect(run(s)).toEqual([]);
    const strict = clusterConfigFromKubeVirt({ spec: { configuration: { network: { permitBridgeInterfaceOnPodNetwork: false } } } });
    expect(run(s, strict)).toEqual([
      { type: 'FieldValueInvalid', message: 'Bridge on pod network configuration is not enabled under kubevirt-config', field: ifacePath(0, 'name') },
    ]);
  });

  it('reports the discontinued macvtap and passt bindings', () => {
    expect(run(spec([{ name: 'default', passt: {} }], [{ name: 'default', pod: {} }]))).toEqual([
      { type: 'FieldValueInvalid', message: 'Passt feature gate is not enabled', field: ifacePath(0, 'name') },
    ]);
    expect(run(spec([{ name: 'default', macvtap: {} }], [{ name: 'default', pod: {} }]))).toEqual([
      { type: 'FieldValueInvalid', message: 'Macvtap feature gate is not enabled', field: ifacePath(0, 'name') },
      { type: 'FieldValueInvalid', message: 'Macvtap interface only implemented with Multus network', field: ifacePath(0, 'name') },
    ]);
  });

  it('matches interfaces and networks by unique names', () => {
    expect(run(spec([{ name: 'default', masquerade: {} }], [{ name: 'default', pod: {} }, { name: 'lonely', multus: { networkName: 'n' } }]))).toEqual([
      { type: 'FieldValueRequired', message: "spec.template.spec.networks[1].name 'lonely' not found.", field: 'spec.template.spec.networks[1].name' },
    ]);
    expect(run(spec([{ name: 'default', masquerade: {} }, { name: 'ghost', bridge: {} }], [{ name: 'default', pod: {} }]))).toEqual([
      { type: 'FieldValueInvalid', message: "spec.template.spec.domain.devices.interfaces[1].name 'ghost' not found.", field: ifacePath(1, 'name') },
    ]);
    expect(run(spec([{ name: 'a', bridge: {} }], [{ name: 'a', multus: { networkName: 'x' } }, { name: 'a', multus: { networkName: 'y' } }]))).toEqual([
      {
        type: 'FieldValueDuplicate',
        message: 'Network with name "a" already exists, every network must have a unique name',
        field: 'spec.template.spec.networks[1].name',
      },
    ]);
    expect(run(spec([{ name: 'a', bridge: {} }, { name: 'a', bridge: {} }], [{ name: 'a', multus: { networkName: 'x' } }]))).toEqual([
      { type: 'FieldValueDuplicate', message: 'Only one interface can be connected to one specific network', field: ifacePath(1, 'name') },
    ]);
  });

  it('validates interface fields: name, model, MAC, PCI address', () => {
    const nets = [{ name: 'my net', pod: {} }];
    expect(run(spec([{ name: 'my net', masquerade: {} }], nets))).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'Network interface name can only contain alphabetical characters, numbers, dashes (-) or underscores (_)',
        field: ifacePath(0, 'name'),
      },
    ]);
    const one = (iface: Obj) => run(spec([{ name: 'default', masquerade: {}, ...iface }], [{ name: 'default', pod: {} }]));
    expect(one({ model: 'virtio' })).toEqual([]);
    expect(one({ model: 'rtl8190' })).toEqual([
      {
        type: 'FieldValueNotSupported',
        message: 'interface spec.template.spec.domain.devices.interfaces[0].name uses model rtl8190 that is not supported.',
        field: ifacePath(0, 'model'),
      },
    ]);
    expect(one({ macAddress: 'de:ad:be:ef:00:01' })).toEqual([]);
    expect(one({ macAddress: 'de:ad:be:ef' })).toEqual([
      { type: 'FieldValueInvalid', message: 'interface spec.template.spec.domain.devices.interfaces[0].name has malformed MAC address (de:ad:be:ef).', field: ifacePath(0, 'macAddress') },
    ]);
    expect(one({ macAddress: '00:00:00:00:fe:80:00:00' })).toEqual([
      {
        type: 'FieldValueInvalid',
        message: 'interface spec.template.spec.domain.devices.interfaces[0].name has too long MAC address (00:00:00:00:fe:80:00:00).',
        field: ifacePath(0, 'macAddress'),
      },
    ]);
    expect(one({ pciAddress: '0000:81:01.0' })).toEqual([]);
    expect(one({ pciAddress: '0000:81:01' })).toEqual([
      { type: 'FieldValueInvalid', message: 'interface spec.template.spec.domain.devices.interfaces[0].name has malformed PCI address (0000:81:01).', field: ifacePath(0, 'pciAddress') },
    ]);
  });

  it('validates forwarded ports on the pod network', () => {
    const s = spec(
      [{ name: 'default', masquerade: {}, ports: [{ name: 'http', port: 80 }, { name: 'http', port: 0 }, { name: 'Bad_Name', port: 70000, protocol: 'SCTP' }] }],
      [{ name: 'default', pod: {} }],
    );
    expect(run(s)).toEqual([
      { type: 'FieldValueDuplicate', message: 'Duplicate name of the port: http', field: ifacePath(0, 'ports[1].name') },
      { type: 'FieldValueInvalid', message: 'Invalid name of the port: Bad_Name', field: ifacePath(0, 'ports[2].name') },
      { type: 'FieldValueRequired', message: 'Port field is mandatory.', field: ifacePath(0, 'ports[1]') },
      { type: 'FieldValueInvalid', message: 'Port field must be in range 0 < x < 65536.', field: ifacePath(0, 'ports[2]') },
      { type: 'FieldValueInvalid', message: 'Unknown protocol, only TCP or UDP allowed', field: ifacePath(0, 'ports[2].protocol') },
    ]);
  });

  it('validates DHCP options', () => {
    const s = spec(
      [{ name: 'default', masquerade: {}, dhcpOptions: { privateOptions: [{ option: 240, value: 'a' }, { option: 240, value: 'b' }, { option: 10, value: 'c' }], ntpServers: ['10.0.0.1', 'ntp.example.com'] } }],
      [{ name: 'default', pod: {} }],
    );
    expect(run(s)).toEqual([
      { type: 'FieldValueInvalid', message: 'Found Duplicates: you have provided duplicate DHCPPrivateOptions', field: 'spec.template.spec' },
      { type: 'FieldValueInvalid', message: 'provided DHCPPrivateOptions are out of range, must be in range 224 to 254', field: 'spec.template.spec' },
      { type: 'FieldValueInvalid', message: 'NTP servers must be a list of valid IPv4 addresses.', field: ifacePath(0, 'dhcpOptions.ntpServers[1]') },
    ]);
  });

  it('rejects the discontinued slirp binding on creation', () => {
    const s = spec([{ name: 'default', slirp: {} }], [{ name: 'default', pod: {} }]);
    expect(validateNetworkCreation(FieldPath.of('spec'), s)).toEqual([
      { type: 'FieldValueInvalid', message: 'Slirp interface support has been discontinued since v1.3', field: 'spec.domain.devices.interfaces[0].slirp' },
    ]);
  });
});
