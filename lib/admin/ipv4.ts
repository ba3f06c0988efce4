// IPv4 addresses and subnets as unsigned 32-bit numbers, for the address ranges of NetworkAttachmentDefinitions.
// Strict on purpose: "010.1.1.1" or "1.2.3" are refused rather than read the way some parser might read them, because
// the IPAM plugin that later reads the same text may read it otherwise.

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** The address as a number, or undefined when the text is not a dotted-quad IPv4 address. */
export function ipToInt(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  /** The address as written before the slash. */
  address: number;
  prefix: number;
  /** The network address (the written address with the host bits cleared). */
  network: number;
  broadcast: number;
}

/** "10.0.0.0/24", or undefined when the text is not an IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const address = ipToInt(m[1]!);
  const prefix = Number(m[2]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  return { address, prefix, network, broadcast: network + size - 1 };
}

export function cidrText(c: Pick<Cidr, 'network' | 'prefix'>): string {
  return `${intToIp(c.network)}/${c.prefix}`;
}

/** An inclusive range of addresses. */
export interface AddressRange {
  first: number;
  last: number;
}

export const overlaps = (a: AddressRange, b: AddressRange) => a.first <= b.last && b.first <= a.last;

export const rangeText = (r: AddressRange) => (r.first === r.last ? intToIp(r.first) : `${intToIp(r.first)}-${intToIp(r.last)}`);
