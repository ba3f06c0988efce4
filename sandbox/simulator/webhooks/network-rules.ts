// The network admission rules of KubeVirt v1.6 (pkg/network/admitter), applied to a VMI spec (a VMI's spec or a
// VM's spec.template.spec). Messages, cause types and field paths are KubeVirt's, in the order its Validator runs.
import { featureGateEnabled, type ClusterConfig } from './cluster-config.ts';
import {
  arr,
  CauseType,
  cause,
  FieldPath,
  goQuote,
  isIPv4,
  isObj,
  isPciAddress,
  isValidPortName,
  parseMacLength,
  type Obj,
  type StatusCause,
} from './util.ts';

const reservedMasqueradeMac = '02:00:00:00:00:00';
const validInterfaceModels = new Set(['e1000', 'e1000e', 'igb', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio']);
const validStates = new Set(['', 'absent', 'down', 'up']);

const interfacesOf = (spec: Obj): Obj[] => arr(spec.domain?.devices?.interfaces);
const networksOf = (spec: Obj): Obj[] => arr(spec.networks);
const isPod = (n: Obj | undefined) => isObj(n?.pod);
const isMultus = (n: Obj | undefined) => isObj(n?.multus);
const networkByName = (spec: Obj) => {
  const m = new Map<string, Obj>();
  for (const n of networksOf(spec)) if (!m.has(n.name)) m.set(n.name, n);
  return m;
};

/** vmispec.LookUpDefaultNetwork: the first network that is not a secondary Multus network. */
export function defaultNetworkOf(networks: Obj[]): Obj | undefined {
  return networks.find((n) => !(isMultus(n) && !n.multus.default));
}

/** The pod network, if any (vmispec.LookupPodNetwork). */
export const podNetworkOf = (networks: Obj[]) => networks.find((n) => isPod(n));

const hasBindingMethod = (i: Obj) =>
  ['bridge', 'slirp', 'masquerade', 'sriov', 'macvtap', 'passt'].some((k) => isObj(i[k]));

function validateSinglePodNetwork(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const nets = networksOf(spec);
  const pods = nets.filter(isPod);
  const multusDefaults = nets.filter((n) => isMultus(n) && n.multus.default === true);
  if (pods.length > 1) {
    causes.push(cause(CauseType.duplicate, `more than one interface is connected to a pod network in ${field.child('interfaces')}`, `${field.child('interfaces')}`));
  }
  if (multusDefaults.length > 1) {
    causes.push(cause(CauseType.invalid, 'Multus CNI should only have one default network', `${field.child('networks')}`));
  }
  if (pods.length > 0 && multusDefaults.length > 0) {
    causes.push(cause(CauseType.invalid, 'Pod network cannot be defined when Multus default network is defined', `${field.child('networks')}`));
  }
  return causes;
}

function validateSingleNetworkSource(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  networksOf(spec).forEach((n, i) => {
    if (!isPod(n) && !isMultus(n)) causes.push(cause(CauseType.required, 'should have a network type', `${field.child('networks').index(i)}`));
    else if (isPod(n) && isMultus(n)) causes.push(cause(CauseType.required, 'should have only one network type', `${field.child('networks').index(i)}`));
  });
  return causes;
}

function validateMultusNetworkSource(field: FieldPath, spec: Obj): StatusCause[] {
  const nets = networksOf(spec);
  for (let i = 0; i < nets.length; i++) {
    const n = nets[i]!;
    if (isMultus(n) && !n.multus.networkName) {
      return [cause(CauseType.required, 'CNI delegating plugin must have a networkName', `${field.child('networks').index(i)}`)];
    }
  }
  return [];
}

function validateInterfaceStateValue(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const defaultNet = defaultNetworkOf(networksOf(spec));
  interfacesOf(spec).forEach((iface, idx) => {
    const state: string = typeof iface.state === 'string' ? iface.state : '';
    const f = `${field.child('domain', 'devices', 'interfaces').index(idx).child('state')}`;
    if (!validStates.has(state)) causes.push(cause(CauseType.invalid, `logical ${iface.name} interface state value is unsupported: ${state}`, f));
    if (isObj(iface.sriov) && (state === 'down' || state === 'up')) {
      causes.push(cause(CauseType.invalid, `${goQuote(iface.name)} interface's state ${goQuote(state)} is not supported for SR-IOV NICs`, f));
    }
    if (state === 'absent' && !isObj(iface.bridge)) {
      causes.push(cause(CauseType.invalid, `${goQuote(iface.name)} interface's state ${goQuote(state)} is supported only for bridge binding`, f));
    }
    if (state === 'absent' && defaultNet && defaultNet.name === iface.name) {
      causes.push(cause(CauseType.invalid, `${goQuote(iface.name)} interface's state ${goQuote(state)} is not supported on default networks`, f));
    }
  });
  return causes;
}

function validateInterfaceBinding(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  const causes: StatusCause[] = [];
  const nets = networkByName(spec);
  interfacesOf(spec).forEach((iface, idx) => {
    const base = field.child('domain', 'devices', 'interfaces').index(idx);
    const net = nets.get(iface.name);
    if (isObj(iface.binding) && hasBindingMethod(iface)) {
      causes.push(cause(CauseType.invalid, `logical ${iface.name} interface cannot have both binding plugin and interface binding method`, `${base.child('binding')}`));
    }
    if (isObj(iface.masquerade) && !isPod(net)) {
      causes.push(cause(CauseType.invalid, 'Masquerade interface only implemented with pod network', `${base.child('name')}`));
    }
    if (isObj(iface.masquerade) && iface.macAddress === reservedMasqueradeMac) {
      causes.push(cause(CauseType.invalid, 'The requested MAC address is reserved for the in-pod bridge. Please choose another one.', `${base.child('macAddress')}`));
    }
    if (isObj(iface.bridge) && isPod(net) && !cfg.permitBridgeInterfaceOnPodNetwork) {
      causes.push(cause(CauseType.invalid, 'Bridge on pod network configuration is not enabled under kubevirt-config', `${base.child('name')}`));
    }
    if (isObj(iface.macvtap) && !featureGateEnabled(cfg, 'Macvtap')) {
      causes.push(cause(CauseType.invalid, 'Macvtap feature gate is not enabled', `${base.child('name')}`));
    }
    if (isObj(iface.macvtap) && !isMultus(net)) {
      causes.push(cause(CauseType.invalid, 'Macvtap interface only implemented with Multus network', `${base.child('name')}`));
    }
    if (isObj(iface.passt) && !featureGateEnabled(cfg, 'Passt')) {
      causes.push(cause(CauseType.invalid, 'Passt feature gate is not enabled', `${base.child('name')}`));
    }
    if (isObj(iface.passt) && !isPod(net)) {
      causes.push(cause(CauseType.invalid, 'Passt interface only implemented with pod network', `${base.child('name')}`));
    }
  });
  return causes;
}

function validateNetworkNameUnique(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  networksOf(spec).forEach((n, i) => {
    if (seen.has(n.name)) {
      causes.push(cause(CauseType.duplicate, `Network with name ${goQuote(n.name ?? '')} already exists, every network must have a unique name`, `${field.child('networks').index(i).child('name')}`));
    }
    seen.add(n.name);
  });
  return causes;
}

function validateNetworksAssignedToInterfaces(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const ifaces = new Set(interfacesOf(spec).map((i) => i.name));
  networksOf(spec).forEach((n, i) => {
    if (!ifaces.has(n.name)) {
      const f = `${field.child('networks').index(i).child('name')}`;
      causes.push(cause(CauseType.required, `${f} '${n.name ?? ''}' not found.`, f));
    }
  });
  return causes;
}

function validateInterfaceNameUnique(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  interfacesOf(spec).forEach((iface, idx) => {
    if (seen.has(iface.name)) {
      causes.push(cause(CauseType.duplicate, 'Only one interface can be connected to one specific network', `${field.child('domain', 'devices', 'interfaces').index(idx).child('name')}`));
    }
    seen.add(iface.name);
  });
  return causes;
}

function validateInterfacesAssignedToNetworks(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const nets = networkByName(spec);
  interfacesOf(spec).forEach((iface, idx) => {
    if (!nets.has(iface.name)) {
      const f = `${field.child('domain', 'devices', 'interfaces').index(idx).child('name')}`;
      causes.push(cause(CauseType.invalid, `${f} '${iface.name ?? ''}' not found.`, f));
    }
  });
  return causes;
}

function validatePorts(base: FieldPath, iface: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports = arr(iface.ports);
  const names = new Set<string>();
  ports.forEach((p, j) => {
    if (!p.name) return;
    const f = `${base.child('ports').index(j).child('name')}`;
    if (names.has(p.name)) causes.push(cause(CauseType.duplicate, `Duplicate name of the port: ${p.name}`, f));
    if (!isValidPortName(String(p.name))) causes.push(cause(CauseType.invalid, `Invalid name of the port: ${p.name}`, f));
    names.add(p.name);
  });
  ports.forEach((p, j) => {
    const port = typeof p.port === 'number' ? p.port : 0;
    if (port === 0) causes.push(cause(CauseType.required, 'Port field is mandatory.', `${base.child('ports').index(j)}`));
    if (port < 0 || port > 65536) causes.push(cause(CauseType.invalid, 'Port field must be in range 0 < x < 65536.', `${base.child('ports').index(j)}`));
    if (p.protocol && p.protocol !== 'TCP' && p.protocol !== 'UDP') {
      causes.push(cause(CauseType.invalid, 'Unknown protocol, only TCP or UDP allowed', `${base.child('ports').index(j).child('protocol')}`));
    }
  });
  return causes;
}

function validateInterfacesFields(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const nets = networkByName(spec);
  interfacesOf(spec).forEach((iface, idx) => {
    const base = field.child('domain', 'devices', 'interfaces').index(idx);
    const nameField = `${base.child('name')}`;
    if (!/^[A-Za-z0-9-_]+$/.test(String(iface.name ?? ''))) {
      causes.push(cause(CauseType.invalid, 'Network interface name can only contain alphabetical characters, numbers, dashes (-) or underscores (_)', nameField));
    }
    if (iface.model && !validInterfaceModels.has(iface.model)) {
      causes.push(cause(CauseType.notSupported, `interface ${nameField} uses model ${iface.model} that is not supported.`, `${base.child('model')}`));
    }
    if (iface.macAddress) {
      const len = parseMacLength(String(iface.macAddress));
      const problem = len === undefined ? `malformed MAC address (${iface.macAddress})` : len > 6 ? `too long MAC address (${iface.macAddress})` : undefined;
      if (problem) causes.push(cause(CauseType.invalid, `interface ${nameField} has ${problem}.`, `${base.child('macAddress')}`));
    }
    if (iface.pciAddress && !isPciAddress(String(iface.pciAddress))) {
      causes.push(cause(CauseType.invalid, `interface ${nameField} has malformed PCI address (${iface.pciAddress}).`, `${base.child('pciAddress')}`));
    }
    if (isPod(nets.get(iface.name)) && Array.isArray(iface.ports)) causes.push(...validatePorts(base, iface));
    if (isObj(iface.dhcpOptions)) {
      const priv = arr(iface.dhcpOptions.privateOptions);
      if (new Set(priv.map((o) => o.option)).size < priv.length) {
        causes.push(cause(CauseType.invalid, 'Found Duplicates: you have provided duplicate DHCPPrivateOptions', `${field}`));
      }
      for (const o of priv) {
        if (!(o.option >= 224 && o.option <= 254)) {
          causes.push(cause(CauseType.invalid, 'provided DHCPPrivateOptions are out of range, must be in range 224 to 254', `${field}`));
        }
      }
      arr<string>(iface.dhcpOptions.ntpServers).forEach((ip, k) => {
        if (!isIPv4(String(ip))) {
          causes.push(cause(CauseType.invalid, 'NTP servers must be a list of valid IPv4 addresses.', `${base.child('dhcpOptions', 'ntpServers').index(k)}`));
        }
      });
    }
  });
  return causes;
}

/** netadmitter Validator.Validate(). */
export function validateNetworks(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  return [
    ...validateSinglePodNetwork(field, spec),
    ...validateSingleNetworkSource(field, spec),
    ...validateMultusNetworkSource(field, spec),
    ...validateInterfaceStateValue(field, spec),
    ...validateInterfaceBinding(field, spec, cfg),
    ...validateNetworkNameUnique(field, spec),
    ...validateNetworksAssignedToInterfaces(field, spec),
    ...validateInterfaceNameUnique(field, spec),
    ...validateInterfacesAssignedToNetworks(field, spec),
    ...validateInterfacesFields(field, spec),
  ];
}

/** netadmitter Validator.ValidateCreation(): only the discontinued slirp binding. */
export function validateNetworkCreation(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  interfacesOf(spec).forEach((iface, idx) => {
    if (isObj(iface.slirp)) {
      causes.push(cause(CauseType.invalid, 'Slirp interface support has been discontinued since v1.3', `${field.child('domain', 'devices', 'interfaces').index(idx).child('slirp')}`));
    }
  });
  return causes;
}
