// Declarative interface hotplug (KubeVirt's VM network controller, pkg/network/controllers/vm.go), pure: a bridge
// or SR-IOV interface added to a running VM's template goes into its VMI's spec; `state: absent` on the template is
// copied to the VMI; once an absent interface is gone from the VMI's status it is cleared from both specs.

import { sameJson as same } from '../kube/same-json.ts';

interface Iface {
  name: string;
  state?: string;
  bridge?: object;
  sriov?: object;
  [k: string]: unknown;
}
interface Network {
  name: string;
  [k: string]: unknown;
}
export interface NetSpec {
  networks?: Network[];
  domain?: { devices?: { interfaces?: Iface[] } };
}

const ifacesOf = (s: NetSpec | undefined): Iface[] => s?.domain?.devices?.interfaces ?? [];

/** ApplyDynamicIfaceRequestOnVMI: the VMI's interfaces and networks after the VM template's requests. */
export function applyInterfaceRequests(template: NetSpec | undefined, vmi: NetSpec): { interfaces: Iface[]; networks: Network[] } {
  const interfaces = structuredClone(ifacesOf(vmi));
  const networks = structuredClone(vmi.networks ?? []);
  for (const want of ifacesOf(template)) {
    const idx = interfaces.findIndex((i) => i.name === want.name);
    const net = template?.networks?.find((n) => n.name === want.name);
    if (idx < 0) {
      if (want.state === 'absent' || !(want.bridge || want.sriov) || !net) continue;
      interfaces.push(structuredClone(want));
      if (!networks.some((n) => n.name === net.name)) networks.push(structuredClone(net));
    } else if (want.state === 'absent' && interfaces[idx]!.state !== 'absent') {
      interfaces[idx] = { ...interfaces[idx]!, state: 'absent' };
    }
  }
  return { interfaces, networks };
}

/** ClearDetachedInterfaces: drops absent interfaces (and their networks) that the VMI's status no longer lists. */
export function clearDetachedInterfaces(spec: NetSpec | undefined, reported: ReadonlySet<string>): { interfaces: Iface[]; networks: Network[] } {
  const gone = new Set(ifacesOf(spec).filter((i) => i.state === 'absent' && !reported.has(i.name)).map((i) => i.name));
  return {
    interfaces: ifacesOf(spec).filter((i) => !gone.has(i.name)),
    networks: (spec?.networks ?? []).filter((n) => !gone.has(n.name)),
  };
}

/** JSON patch ops that set a spec's interfaces and networks (`prefix` is '/spec' or '/spec/template/spec'), or none. */
export function interfacePatch(prefix: string, spec: NetSpec | undefined, next: { interfaces: Iface[]; networks: Network[] }): object[] {
  const ops: object[] = [];
  if (!same(ifacesOf(spec), next.interfaces)) {
    ops.push(spec?.domain?.devices?.interfaces
      ? { op: 'test', path: `${prefix}/domain/devices/interfaces`, value: spec.domain.devices.interfaces }
      : { op: 'add', path: `${prefix}/domain/devices/interfaces`, value: [] });
    ops.push({ op: 'replace', path: `${prefix}/domain/devices/interfaces`, value: next.interfaces });
  }
  if (!same(spec?.networks ?? [], next.networks)) {
    ops.push(spec?.networks ? { op: 'test', path: `${prefix}/networks`, value: spec.networks } : { op: 'add', path: `${prefix}/networks`, value: [] });
    ops.push({ op: 'replace', path: `${prefix}/networks`, value: next.networks });
  }
  return ops;
}
