import { z } from 'zod';
import { type AddressRange, cidrText, intToIp, ipToInt, overlaps, parseCidr, rangeText } from './ipv4';

// Shared networks: the NetworkAttachmentDefinitions an admin makes for VMs' secondary interfaces. Pure: the form and
// the route check the same input with the same function (checkNad), and build the same object (nadManifest).
//
// What is built is what the sandbox's Multus and network fabric read (sandbox/simulator/network/nad.ts, ipam.ts) and
// what its seeded NADs look like: a single-plugin CNI config of type bridge (bridge, vlan) or sriov (vlan, with the
// device plugin's resource in the k8s.v1.cni.cncf.io/resourceName annotation), with IPAM whereabouts (range, and
// range_start / range_end / gateway) or host-local (subnet, rangeStart / rangeEnd / gateway), IPv4 only. Two NADs are
// on the same wire when they share the bridge (or the SR-IOV resource) and the VLAN, whatever their namespaces:
// their address ranges must not overlap, or two guests on that wire could be handed the same address.

export const NAD_RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';
export const CNI_VERSION = '0.3.1';
export const NAD_KINDS = ['bridge', 'sriov'] as const;
export const IPAM_KINDS = ['none', 'whereabouts', 'host-local'] as const;
export type NadKind = (typeof NAD_KINDS)[number];
export type IpamKind = (typeof IPAM_KINDS)[number];
export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

/** What the form sends and the route receives: text as typed (the VLAN may come as a number). */
const text = (max: number) => z.string().max(max).optional();
export const nadInput = z
  .object({
    namespace: z.string().max(253),
    name: z.string().max(253),
    kind: z.string().max(32),
    bridge: text(64),
    resourceName: text(512),
    vlan: z.union([z.number(), z.string().max(32)]).nullable().optional(),
    ipam: z
      .object({
        kind: z.string().max(32),
        subnet: text(64),
        rangeStart: text(64),
        rangeEnd: text(64),
        gateway: text(64),
      })
      .strict(),
  })
  .strict();
export type NadInput = z.input<typeof nadInput>;

export type IpamSpec = { kind: 'none' } | { kind: 'whereabouts' | 'host-local'; subnet: string; rangeStart?: string; rangeEnd?: string; gateway?: string };

/** A checked NAD: every field valid, ready to build. */
export interface NadSpec {
  namespace: string;
  name: string;
  kind: NadKind;
  bridge?: string;
  resourceName?: string;
  vlan?: number;
  ipam: IpamSpec;
}

export type NadField = 'namespace' | 'name' | 'kind' | 'bridge' | 'resourceName' | 'vlan' | 'ipam.kind' | 'ipam.subnet' | 'ipam.rangeStart' | 'ipam.rangeEnd' | 'ipam.gateway';

export type NadProblemKey =
  | 'namespace.invalid'
  | 'name.required'
  | 'name.invalid'
  | 'name.taken'
  | 'kind.invalid'
  | 'bridge.required'
  | 'bridge.invalid'
  | 'resourceName.required'
  | 'resourceName.invalid'
  | 'vlan.range'
  | 'ipam.invalid'
  | 'subnet.required'
  | 'subnet.invalid'
  | 'subnet.notNetwork'
  | 'subnet.tooSmall'
  | 'address.invalid'
  | 'range.outsideSubnet'
  | 'range.order'
  | 'gateway.outsideSubnet'
  | 'range.overlap';

export interface NadProblem {
  field: NadField;
  key: NadProblemKey;
  // Names, addresses and numbers the sentence shows; never text the user typed beyond what the key is about.
  params?: Record<string, string | number>;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A Linux interface name: at most 15 bytes, no slash or whitespace, not "." or "..".
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
// An extended resource a device plugin advertises: <DNS subdomain>/<name>.
const RESOURCE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const blank = (s: string | undefined) => (s ?? '').trim();

/** The wire a NAD's interfaces join, as the sandbox's Multus keys it (planOf): bridge or VF pool, and VLAN. */
export function segmentOf(type: string, opts: { bridge?: string; resourceName?: string; master?: string; vlan?: number; where: string }): string {
  const wire =
    type === 'bridge' ? `bridge/${opts.bridge ?? 'cni0'}`
    : type === 'sriov' ? `sriov/${opts.resourceName ?? opts.where}`
    : opts.master ? `${type}/${opts.master}`
    : `${type}/${opts.where}`;
  return `${wire}/vlan${opts.vlan || 0}`;
}

/** The addresses an IPAM range hands out: the start and end when set, else the subnet without its network and broadcast. */
function allocationRange(subnet: string, start?: string, end?: string): AddressRange | undefined {
  const c = parseCidr(subnet);
  if (!c) return undefined;
  const first = start ? ipToInt(start) : c.network + 1;
  const last = end ? ipToInt(end) : c.broadcast - 1;
  if (first === undefined || last === undefined) return undefined;
  return { first, last };
}

export interface NadSummary {
  namespace: string;
  name: string;
  /** The CNI plugin: bridge, sriov, macvlan…; 'unknown' when the config cannot be read. */
  type: string;
  bridge?: string;
  resourceName?: string;
  vlan?: number;
  /** Undefined when the config cannot be read: such a NAD takes part in no overlap check. */
  segment?: string;
  ipamType?: string;
  subnets: string[];
  /** The addresses its IPAM hands out. */
  ranges: AddressRange[];
  /** spec.config as stored. */
  config: string;
}

interface KubeNad {
  metadata?: { namespace?: string; name?: string; annotations?: Record<string, string> };
  spec?: { config?: string };
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function ipamRanges(ipam: Json | undefined): { subnets: string[]; ranges: AddressRange[] } {
  const subnets: string[] = [];
  const ranges: AddressRange[] = [];
  const add = (subnet: string | undefined, start?: string, end?: string) => {
    if (!subnet) return;
    subnets.push(subnet);
    const r = allocationRange(subnet, start, end);
    if (r) ranges.push(r);
  };
  if (!ipam) return { subnets, ranges };
  if (ipam.type === 'host-local') {
    const sets = Array.isArray(ipam.ranges) ? (ipam.ranges as unknown[]) : [];
    if (sets.length) {
      for (const set of sets) for (const r of Array.isArray(set) ? set : []) add(str(obj(r)?.subnet), str(obj(r)?.rangeStart), str(obj(r)?.rangeEnd));
    } else add(str(ipam.subnet), str(ipam.rangeStart), str(ipam.rangeEnd));
  } else if (ipam.type === 'whereabouts') {
    const range = str(ipam.range);
    // "10.0.0.10-10.0.0.20/24" is a whereabouts range too.
    const m = range ? /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(range) : null;
    if (m) add(`${m[1]}/${m[3]}`, m[1], m[2]);
    else add(range, str(ipam.range_start), str(ipam.range_end));
  }
  return { subnets, ranges };
}

/** A stored NAD as the list and the overlap check read it; a config that is not JSON is 'unknown', not an error. */
export function describeNad(nad: KubeNad): NadSummary {
  const namespace = nad.metadata?.namespace ?? '';
  const name = nad.metadata?.name ?? '';
  const config = nad.spec?.config ?? '';
  const base: NadSummary = { namespace, name, type: 'unknown', subnets: [], ranges: [], config };
  let parsed: Json | undefined;
  try {
    parsed = obj(JSON.parse(config));
  } catch {
    return base;
  }
  const main = Array.isArray(parsed?.plugins) ? obj(parsed.plugins[0]) : parsed;
  const type = str(main?.type);
  if (!main || !type) return base;
  const resourceName = str(nad.metadata?.annotations?.[NAD_RESOURCE_NAME_ANNOTATION]);
  const vlan = typeof main.vlan === 'number' && main.vlan > 0 ? main.vlan : undefined;
  const bridge = type === 'bridge' ? (str(main.bridge) ?? 'cni0') : undefined;
  const ipam = obj(main.ipam);
  return {
    ...base,
    type,
    ...(bridge ? { bridge } : {}),
    ...(type === 'sriov' && resourceName ? { resourceName } : {}),
    ...(vlan ? { vlan } : {}),
    segment: segmentOf(type, { bridge, resourceName, master: str(main.master), vlan, where: `${namespace}/${name}` }),
    ...(str(ipam?.type) ? { ipamType: str(ipam?.type) } : {}),
    ...ipamRanges(ipam),
  };
}

function parseVlan(v: NadInput['vlan']): { ok: true; vlan?: number } | { ok: false } {
  if (v === undefined || v === null) return { ok: true };
  const s = typeof v === 'number' ? String(v) : v.trim();
  if (s === '') return { ok: true };
  if (!/^\d{1,5}$/.test(s)) return { ok: false };
  const n = Number(s);
  return n >= VLAN_MIN && n <= VLAN_MAX ? { ok: true, vlan: n } : { ok: false };
}

export type NadCheck = { ok: true; spec: NadSpec; problems: [] } | { ok: false; problems: NadProblem[] };

/**
 * Checks a NAD as typed against the rules and against the NADs already there (those the user can list), and returns
 * the spec to build or every problem found. `existing` may hold the NAD itself (an edit): it is skipped by name.
 */
export function checkNad(input: NadInput, existing: readonly NadSummary[] = []): NadCheck {
  const problems: NadProblem[] = [];
  const p = (field: NadField, key: NadProblemKey, params?: NadProblem['params']) => problems.push({ field, key, ...(params ? { params } : {}) });

  const namespace = blank(input.namespace);
  if (!LABEL.test(namespace) || namespace.length > 63) p('namespace', 'namespace.invalid');
  const name = blank(input.name);
  if (!name) p('name', 'name.required');
  else if (!LABEL.test(name) || name.length > 63) p('name', 'name.invalid');
  else if (existing.some((e) => e.namespace === namespace && e.name === name)) p('name', 'name.taken', { namespace, name });

  const kind = input.kind as NadKind;
  if (!NAD_KINDS.includes(kind)) p('kind', 'kind.invalid');
  const bridge = blank(input.bridge);
  const resourceName = blank(input.resourceName);
  if (kind === 'bridge') {
    if (!bridge) p('bridge', 'bridge.required');
    else if (!IFNAME.test(bridge) || bridge === '.' || bridge === '..') p('bridge', 'bridge.invalid');
  }
  if (kind === 'sriov') {
    if (!resourceName) p('resourceName', 'resourceName.required');
    else if (!RESOURCE.test(resourceName) || resourceName.split('/')[0]!.length > 253 || resourceName.split('/')[1]!.length > 63) p('resourceName', 'resourceName.invalid');
  }
  const vlan = parseVlan(input.vlan);
  if (!vlan.ok) p('vlan', 'vlan.range', { min: VLAN_MIN, max: VLAN_MAX });

  const ipamKind = input.ipam.kind as IpamKind;
  let ipam: IpamSpec = { kind: 'none' };
  let mine: AddressRange | undefined;
  if (!IPAM_KINDS.includes(ipamKind)) p('ipam.kind', 'ipam.invalid');
  else if (ipamKind !== 'none') {
    const subnetText = blank(input.ipam.subnet);
    const subnet = parseCidr(subnetText);
    if (!subnetText) p('ipam.subnet', 'subnet.required');
    else if (!subnet) p('ipam.subnet', 'subnet.invalid');
    else if (subnet.address !== subnet.network) p('ipam.subnet', 'subnet.notNetwork', { network: cidrText(subnet) });
    else if (subnet.prefix > 30 || subnet.prefix < 1) p('ipam.subnet', 'subnet.tooSmall');
    const usable = subnet && subnet.address === subnet.network && subnet.prefix <= 30 && subnet.prefix >= 1 ? { first: subnet.network + 1, last: subnet.broadcast - 1 } : undefined;
    const where = usable ? { subnet: subnetText, first: intToIp(usable.first), last: intToIp(usable.last) } : undefined;
    const address = (field: 'ipam.rangeStart' | 'ipam.rangeEnd' | 'ipam.gateway', outside: NadProblemKey): number | undefined => {
      const raw = blank(input.ipam[field === 'ipam.rangeStart' ? 'rangeStart' : field === 'ipam.rangeEnd' ? 'rangeEnd' : 'gateway']);
      if (!raw) return undefined;
      const n = ipToInt(raw);
      if (n === undefined) p(field, 'address.invalid');
      else if (usable && where && (n < usable.first || n > usable.last)) p(field, outside, where);
      return n;
    };
    const start = address('ipam.rangeStart', 'range.outsideSubnet');
    const end = address('ipam.rangeEnd', 'range.outsideSubnet');
    const gateway = address('ipam.gateway', 'gateway.outsideSubnet');
    // The order only means something once both ends are good addresses of the subnet.
    if (usable && !problems.some((x) => x.field === 'ipam.rangeStart' || x.field === 'ipam.rangeEnd')) {
      const first = start ?? usable.first;
      const last = end ?? usable.last;
      if (first > last) p(start !== undefined ? 'ipam.rangeStart' : 'ipam.rangeEnd', 'range.order', { start: intToIp(first), end: intToIp(last) });
      else mine = { first, last };
    }
    ipam = {
      kind: ipamKind,
      subnet: subnetText,
      ...(start !== undefined ? { rangeStart: intToIp(start) } : {}),
      ...(end !== undefined ? { rangeEnd: intToIp(end) } : {}),
      ...(gateway !== undefined ? { gateway: intToIp(gateway) } : {}),
    };
  }

  // Only a NAD that is otherwise right is compared with the others: an overlap with a range that is itself wrong
  // would only repeat the first problem.
  if (!problems.length && mine) {
    const segment = segmentOf(kind, { bridge, resourceName, vlan: vlan.ok ? vlan.vlan : undefined, where: `${namespace}/${name}` });
    const field: NadField = blank(input.ipam.rangeStart) || blank(input.ipam.rangeEnd) ? 'ipam.rangeStart' : 'ipam.subnet';
    for (const e of existing) {
      if (e.segment !== segment || (e.namespace === namespace && e.name === name)) continue;
      const hit = e.ranges.find((r) => overlaps(r, mine!));
      if (hit) p(field, 'range.overlap', { namespace: e.namespace, name: e.name, range: rangeText(hit) });
    }
  }
  if (problems.length) return { ok: false, problems };
  const spec: NadSpec = {
    namespace,
    name,
    kind,
    ...(kind === 'bridge' ? { bridge } : { resourceName }),
    ...(vlan.ok && vlan.vlan ? { vlan: vlan.vlan } : {}),
    ipam,
  };
  return { ok: true, spec, problems: [] };
}

function ipamConfig(ipam: IpamSpec): Json | undefined {
  if (ipam.kind === 'none') return undefined;
  if (ipam.kind === 'whereabouts') {
    return {
      type: 'whereabouts',
      range: ipam.subnet,
      ...(ipam.rangeStart ? { range_start: ipam.rangeStart } : {}),
      ...(ipam.rangeEnd ? { range_end: ipam.rangeEnd } : {}),
      ...(ipam.gateway ? { gateway: ipam.gateway } : {}),
    };
  }
  return {
    type: 'host-local',
    subnet: ipam.subnet,
    ...(ipam.rangeStart ? { rangeStart: ipam.rangeStart } : {}),
    ...(ipam.rangeEnd ? { rangeEnd: ipam.rangeEnd } : {}),
    ...(ipam.gateway ? { gateway: ipam.gateway } : {}),
  };
}

/** The CNI config (spec.config) as an object, in the field order of the sandbox's seeded NADs. */
export function cniConfig(spec: NadSpec): Json {
  const ipam = ipamConfig(spec.ipam);
  return {
    cniVersion: CNI_VERSION,
    name: spec.name,
    type: spec.kind,
    ...(spec.kind === 'bridge' ? { bridge: spec.bridge } : {}),
    ...(spec.vlan ? { vlan: spec.vlan } : {}),
    ...(ipam ? { ipam } : {}),
  };
}

/** spec.config exactly as it is stored and shown: indented, so it reads the same in the portal and in kubectl. */
export const cniConfigText = (spec: NadSpec) => JSON.stringify(cniConfig(spec), null, 2);

export function nadManifest(spec: NadSpec) {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      ...(spec.kind === 'sriov' ? { annotations: { [NAD_RESOURCE_NAME_ANNOTATION]: spec.resourceName! } } : {}),
    },
    spec: { config: cniConfigText(spec) },
  };
}

/** A problem in English, for the route's error message and logs (the browser shows its own translated sentence). */
export function problemSentence(p: NadProblem): string {
  const v = (k: string) => String(p.params?.[k] ?? '');
  switch (p.key) {
    case 'namespace.invalid':
      return 'The namespace is not a valid namespace name.';
    case 'name.required':
      return 'A name is required.';
    case 'name.invalid':
      return 'The name must be lower-case letters, digits and "-", at most 63 characters.';
    case 'name.taken':
      return `A network named ${v('name')} already exists in namespace ${v('namespace')}.`;
    case 'kind.invalid':
      return 'The type must be bridge or sriov.';
    case 'bridge.required':
      return 'A bridge network needs the name of the bridge.';
    case 'bridge.invalid':
      return 'The bridge name must be a Linux interface name: at most 15 letters, digits, ".", "_" or "-".';
    case 'resourceName.required':
      return 'An SR-IOV network needs the device plugin resource name.';
    case 'resourceName.invalid':
      return 'The resource name must look like example.com/resource.';
    case 'vlan.range':
      return `The VLAN ID must be a whole number from ${v('min')} to ${v('max')}.`;
    case 'ipam.invalid':
      return 'The address management must be none, whereabouts or host-local.';
    case 'subnet.required':
      return 'A subnet is required for address management.';
    case 'subnet.invalid':
      return 'The subnet must be an IPv4 subnet such as 10.10.0.0/24.';
    case 'subnet.notNetwork':
      return `The subnet must be written with its network address: ${v('network')}.`;
    case 'subnet.tooSmall':
      return 'The subnet must have room for addresses: a prefix from /1 to /30.';
    case 'address.invalid':
      return `${fieldName(p.field)} is not an IPv4 address.`;
    case 'range.outsideSubnet':
      return `${fieldName(p.field)} is outside the subnet ${v('subnet')}: it must be from ${v('first')} to ${v('last')}.`;
    case 'gateway.outsideSubnet':
      return `The gateway is outside the subnet ${v('subnet')}: it must be from ${v('first')} to ${v('last')}.`;
    case 'range.order':
      return `The range starts after it ends (${v('start')} > ${v('end')}).`;
    case 'range.overlap':
      return `The address range overlaps ${v('range')} of network ${v('namespace')}/${v('name')} on the same wire (the same bridge or SR-IOV resource, and the same VLAN).`;
  }
}

function fieldName(f: NadField): string {
  return f === 'ipam.rangeStart' ? 'The range start' : f === 'ipam.rangeEnd' ? 'The range end' : f === 'ipam.gateway' ? 'The gateway' : f;
}

// POST /api/admin/networks: the NAD as typed; answers 201 with NadCreated, or the error shape with
// details.problems (NadProblem[]) when the checks above refuse it (400, or 409 for a taken name).
export const createNadRequest = z.object({ nad: nadInput }).strict();
export type CreateNadRequest = z.input<typeof createNadRequest>;

export interface NadCreated {
  namespace: string;
  name: string;
  config: string;
}
