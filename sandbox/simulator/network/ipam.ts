// The IPAM plugins a NAD names (host-local, whereabouts, static), as one pure allocator: the lowest free address of
// the configured range, skipping the network, broadcast and gateway addresses and whatever is in use on the segment.
import type { IpamConfig } from './nad.ts';

export interface Address {
  ip: string;
  prefix: number;
  gateway?: string;
}

const toInt = (ip: string): number => {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`bad IPv4 address ${ip}`);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
};
const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function cidr(s: string): { net: number; prefix: number; ip: number } {
  const [ip, len] = s.split('/') as [string, string | undefined];
  const prefix = Number(len);
  if (len === undefined || !Number.isInteger(prefix) || prefix < 1 || prefix > 32) throw new Error(`bad IPv4 subnet ${s}`);
  const mask = (~0 << (32 - prefix)) >>> 0;
  return { net: (toInt(ip) & mask) >>> 0, prefix, ip: toInt(ip) };
}

/** An excluded block: "10.0.0.8/29", or one address. */
function block(e: string): { from: number; to: number } {
  const [ip, len] = e.split('/') as [string, string | undefined];
  const prefix = len === undefined ? 32 : Number(len);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const from = (toInt(ip) & mask) >>> 0;
  return { from, to: from + 2 ** (32 - prefix) - 1 };
}

interface Range {
  first: number;
  last: number;
  prefix: number;
  gateway?: number;
  excluded: { from: number; to: number }[];
}

function ranges(ipam: IpamConfig): Range[] {
  const mk = (subnet: string, start?: string, end?: string, gateway?: string, exclude: string[] = []): Range => {
    const c = cidr(subnet);
    const size = 2 ** (32 - c.prefix);
    return {
      first: start ? toInt(start) : c.net + 1,
      last: end ? toInt(end) : c.net + size - 2,
      prefix: c.prefix,
      gateway: gateway ? toInt(gateway) : undefined,
      excluded: exclude.map(block),
    };
  };
  switch (ipam.type) {
    case 'host-local': {
      if (ipam.ranges?.length) return ipam.ranges.flat().map((r) => mk(r.subnet, r.rangeStart, r.rangeEnd, r.gateway ?? gatewayDefault(r.subnet)));
      if (ipam.subnet) return [mk(ipam.subnet, ipam.rangeStart, ipam.rangeEnd, ipam.gateway ?? gatewayDefault(ipam.subnet))];
      throw new Error('host-local IPAM needs a subnet or ranges');
    }
    case 'whereabouts': {
      if (!ipam.range) throw new Error('whereabouts IPAM needs a range');
      // "10.0.0.10-10.0.0.20/24" is also a whereabouts range.
      const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(ipam.range);
      if (m) return [mk(`${m[1]}/${m[3]}`, m[1], m[2], ipam.gateway, ipam.exclude)];
      return [mk(ipam.range, ipam.range_start, ipam.range_end, ipam.gateway, ipam.exclude)];
    }
    default:
      throw new Error(`IPAM type ${ipam.type} is not supported by the sandbox`);
  }
}

/** host-local's default gateway: the subnet's first address. */
const gatewayDefault = (subnet: string) => toIp(cidr(subnet).net + 1);

/**
 * The address a new NIC gets, or undefined when the NAD has no IPAM (an L2-only network) or the IPAM hands out
 * addresses the sandbox cannot (dhcp). Throws when the range is exhausted.
 */
export function allocate(ipam: IpamConfig | undefined, used: ReadonlySet<string>): Address | undefined {
  if (!ipam || ipam.type === 'dhcp') return undefined;
  if (ipam.type === 'static') {
    const a = ipam.addresses?.[0];
    if (!a) throw new Error('static IPAM has no addresses');
    const c = cidr(a.address);
    return { ip: toIp(c.ip), prefix: c.prefix, ...(a.gateway ? { gateway: a.gateway } : {}) };
  }
  for (const r of ranges(ipam)) {
    for (let n = r.first; n <= r.last; n++) {
      if (n === r.gateway || used.has(toIp(n)) || r.excluded.some((x) => n >= x.from && n <= x.to)) continue;
      return { ip: toIp(n), prefix: r.prefix, ...(r.gateway !== undefined ? { gateway: toIp(r.gateway) } : {}) };
    }
  }
  throw new Error(`IPAM range exhausted (${ipam.type})`);
}

export function netmask(prefix: number): string {
  return toIp(prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);
}

export function broadcast(ip: string, prefix: number): string {
  return toIp((toInt(ip) | ~((~0 << (32 - prefix)) >>> 0)) >>> 0);
}
