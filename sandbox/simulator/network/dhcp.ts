// DHCP on a secondary network, as KubeVirt's bridge binding serves it from virt-launcher: each guest NIC is offered
// the address IPAM gave its pod interface. Pure packet work: Ethernet frames in, Ethernet frames out.

export const DhcpType = { Discover: 1, Offer: 2, Request: 3, Decline: 4, Ack: 5, Nak: 6, Release: 7, Inform: 8 } as const;
export type DhcpType = (typeof DhcpType)[keyof typeof DhcpType];

export interface DhcpRequest {
  type: DhcpType;
  xid: number;
  /** Client MAC, lower case with colons. */
  mac: string;
  flags: number;
  ciaddr: string;
  requestedIp?: string;
  serverId?: string;
}

export interface DhcpLease {
  ip: string;
  netmask: string;
  broadcast: string;
  router?: string;
  hostname?: string;
}

const cookie = 0x63825363;
const macStr = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
const macBytes = (m: string) => Buffer.from(m.split(':').map((x) => parseInt(x, 16)));
const ipStr = (b: Buffer, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
const ipBytes = (ip: string) => Buffer.from(ip.split('.').map(Number));

/** The DHCP request a guest broadcast, or undefined for any other frame. */
export function parseDhcpFrame(frame: Buffer): DhcpRequest | undefined {
  if (frame.length < 14 + 20 + 8 + 240) return undefined;
  if (frame.readUInt16BE(12) !== 0x0800) return undefined; // IPv4, untagged (the bridge port strips the VLAN)
  const ip = 14;
  const ihl = (frame[ip]! & 0x0f) * 4;
  if (frame[ip]! >> 4 !== 4 || frame[ip + 9] !== 17) return undefined; // UDP
  const udp = ip + ihl;
  if (frame.readUInt16BE(udp + 2) !== 67) return undefined;
  const b = udp + 8;
  if (frame.length < b + 240 || frame[b] !== 1 || frame.readUInt32BE(b + 236) !== cookie) return undefined;
  const req: Partial<DhcpRequest> = {
    xid: frame.readUInt32BE(b + 4),
    flags: frame.readUInt16BE(b + 10),
    ciaddr: ipStr(frame, b + 12),
    mac: macStr(frame.subarray(b + 28, b + 34)),
  };
  for (let o = b + 240; o < frame.length; ) {
    const code = frame[o]!;
    if (code === 255) break;
    if (code === 0) { o++; continue; }
    const len = frame[o + 1]!;
    const v = frame.subarray(o + 2, o + 2 + len);
    if (code === 53 && len === 1) req.type = v[0] as DhcpType;
    if (code === 50 && len === 4) req.requestedIp = ipStr(v, 0);
    if (code === 54 && len === 4) req.serverId = ipStr(v, 0);
    o += 2 + len;
  }
  return req.type ? (req as DhcpRequest) : undefined;
}

function checksum(buf: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1]! << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export interface DhcpServer {
  mac: string;
  ip: string;
}

/** The server's answer to a request, as an Ethernet frame: OFFER, ACK or NAK (lease undefined means NAK). */
export function dhcpReply(req: DhcpRequest, type: typeof DhcpType.Offer | typeof DhcpType.Ack | typeof DhcpType.Nak, server: DhcpServer, lease?: DhcpLease): Buffer {
  const opts: Buffer[] = [Buffer.from([53, 1, type]), Buffer.concat([Buffer.from([54, 4]), ipBytes(server.ip)])];
  if (lease && type !== DhcpType.Nak) {
    // An infinite lease, as KubeVirt's DHCP server gives: the address is the pod interface's for the pod's life.
    opts.push(Buffer.from([51, 4, 0xff, 0xff, 0xff, 0xff]));
    opts.push(Buffer.concat([Buffer.from([1, 4]), ipBytes(lease.netmask)]));
    opts.push(Buffer.concat([Buffer.from([28, 4]), ipBytes(lease.broadcast)]));
    if (lease.router) opts.push(Buffer.concat([Buffer.from([3, 4]), ipBytes(lease.router)]));
    if (lease.hostname) {
      const h = Buffer.from(lease.hostname.slice(0, 63));
      opts.push(Buffer.concat([Buffer.from([12, h.length]), h]));
    }
  }
  opts.push(Buffer.from([255]));
  const bootp = Buffer.alloc(240);
  bootp[0] = 2; // BOOTREPLY
  bootp[1] = 1; // Ethernet
  bootp[2] = 6;
  bootp.writeUInt32BE(req.xid, 4);
  bootp.writeUInt16BE(req.flags, 10);
  if (lease && type !== DhcpType.Nak) ipBytes(lease.ip).copy(bootp, 16);
  ipBytes(server.ip).copy(bootp, 20);
  macBytes(req.mac).copy(bootp, 28);
  bootp.writeUInt32BE(cookie, 236);
  const payload = Buffer.concat([bootp, ...opts]);

  const broadcastReply = type === DhcpType.Nak || (req.flags & 0x8000) !== 0 || !lease;
  const dstIp = broadcastReply ? '255.255.255.255' : lease!.ip;
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(67, 0);
  udp.writeUInt16BE(68, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const pseudo = Buffer.concat([ipBytes(server.ip), ipBytes(dstIp), Buffer.from([0, 17]), Buffer.from([(8 + payload.length) >> 8, (8 + payload.length) & 255])]);
  udp.writeUInt16BE(checksum(Buffer.concat([pseudo, udp, payload])) || 0xffff, 6);

  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  ipBytes(server.ip).copy(ip, 12);
  ipBytes(dstIp).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);

  const eth = Buffer.alloc(14);
  macBytes(broadcastReply ? 'ff:ff:ff:ff:ff:ff' : req.mac).copy(eth, 0);
  macBytes(server.mac).copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  return Buffer.concat([eth, ip, udp, payload]);
}

/** What the server answers (pure): DISCOVER gets an OFFER; REQUEST for the leased address an ACK, any other a NAK. */
export function answer(req: DhcpRequest, lease: DhcpLease | undefined, server: DhcpServer): Buffer | undefined {
  if (!lease) return undefined; // not a NIC this server serves: stay silent, another server may
  if (req.type === DhcpType.Discover) return dhcpReply(req, DhcpType.Offer, server, lease);
  if (req.type === DhcpType.Request) {
    if (req.serverId && req.serverId !== server.ip) return undefined; // the client chose another server
    const wanted = req.requestedIp ?? (req.ciaddr !== '0.0.0.0' ? req.ciaddr : undefined);
    return wanted === lease.ip ? dhcpReply(req, DhcpType.Ack, server, lease) : dhcpReply(req, DhcpType.Nak, server);
  }
  return undefined;
}
