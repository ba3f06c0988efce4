import { describe, expect, it } from 'vitest';
import { answer, DhcpType, parseDhcpFrame, type DhcpLease } from './dhcp.ts';

const server = { ip: '169.254.75.10', mac: '02:00:00:00:4b:0a' };
const clientMac = '02:aa:bb:cc:dd:ee';
const lease: DhcpLease = { ip: '10.10.0.7', netmask: '255.255.255.0', broadcast: '10.10.0.255', hostname: 'vm-a' };

/** A client's broadcast as a guest's DHCP client sends it: Ethernet, IPv4, UDP 68→67, BOOTP with options. */
function clientFrame(type: number, opts: { requested?: string; serverId?: string; xid?: number } = {}): Buffer {
  const bootp = Buffer.alloc(240);
  bootp[0] = 1;
  bootp[1] = 1;
  bootp[2] = 6;
  bootp.writeUInt32BE(opts.xid ?? 0x1234abcd, 4);
  Buffer.from(clientMac.split(':').map((x) => parseInt(x, 16))).copy(bootp, 28);
  bootp.writeUInt32BE(0x63825363, 236);
  const o: number[] = [53, 1, type];
  if (opts.requested) o.push(50, 4, ...opts.requested.split('.').map(Number));
  if (opts.serverId) o.push(54, 4, ...opts.serverId.split('.').map(Number));
  o.push(255);
  const payload = Buffer.concat([bootp, Buffer.from(o)]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(68, 0);
  udp.writeUInt16BE(67, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip[9] = 17;
  ip.writeUInt16BE(28 + payload.length, 2);
  Buffer.from([255, 255, 255, 255]).copy(ip, 16);
  const eth = Buffer.alloc(14, 0xff);
  Buffer.from(clientMac.split(':').map((x) => parseInt(x, 16))).copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  return Buffer.concat([eth, ip, udp, payload]);
}

/** Ones' complement sum over a buffer: 0xffff when the checksum inside it is right. */
function sum16(buf: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) s += buf.readUInt16BE(i);
  if (buf.length % 2) s += buf[buf.length - 1]! << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return s;
}

function readReply(frame: Buffer) {
  const ip = frame.subarray(14, 34);
  const udpLen = frame.readUInt16BE(38);
  const udp = frame.subarray(34, 34 + udpLen);
  const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 17, udpLen >> 8, udpLen & 255])]);
  const b = udp.subarray(8);
  const options = new Map<number, Buffer>();
  for (let o = 240; o < b.length && b[o] !== 255; o += 2 + b[o + 1]!) options.set(b[o]!, b.subarray(o + 2, o + 2 + b[o + 1]!));
  const dotted = (x: Buffer | undefined) => x && [...x].join('.');
  return {
    ethDst: [...frame.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':'),
    ipChecksumOk: sum16(ip) === 0xffff,
    udpChecksumOk: sum16(Buffer.concat([pseudo, udp])) === 0xffff,
    dstIp: dotted(ip.subarray(16, 20)),
    op: b[0],
    xid: b.readUInt32BE(4),
    yiaddr: dotted(b.subarray(16, 20)),
    type: options.get(53)?.[0],
    serverId: dotted(options.get(54)),
    mask: dotted(options.get(1)),
    router: dotted(options.get(3)),
    hostname: options.get(12)?.toString(),
    leaseSeconds: options.get(51)?.readUInt32BE(0),
  };
}

describe('DHCP on a secondary network', () => {
  it('parses a client DISCOVER and ignores other frames', () => {
    expect(parseDhcpFrame(clientFrame(DhcpType.Discover))).toMatchObject({ type: DhcpType.Discover, mac: clientMac, xid: 0x1234abcd });
    const arp = Buffer.alloc(60);
    arp.writeUInt16BE(0x0806, 12);
    expect(parseDhcpFrame(arp)).toBeUndefined();
  });

  it('offers the IPAM address with a valid IPv4 and UDP checksum, an infinite lease and no router', () => {
    const reply = readReply(answer(parseDhcpFrame(clientFrame(DhcpType.Discover))!, lease, server)!);
    expect(reply).toMatchObject({
      ethDst: clientMac, ipChecksumOk: true, udpChecksumOk: true, dstIp: lease.ip, op: 2, xid: 0x1234abcd,
      yiaddr: lease.ip, type: DhcpType.Offer, serverId: server.ip, mask: '255.255.255.0', hostname: 'vm-a', leaseSeconds: 0xffffffff,
    });
    expect(reply.router).toBeUndefined();
  });

  it('acknowledges a request for the leased address and refuses any other', () => {
    const ack = readReply(answer(parseDhcpFrame(clientFrame(DhcpType.Request, { requested: lease.ip, serverId: server.ip }))!, lease, server)!);
    expect(ack).toMatchObject({ type: DhcpType.Ack, yiaddr: lease.ip });
    const nak = readReply(answer(parseDhcpFrame(clientFrame(DhcpType.Request, { requested: '10.10.0.99' }))!, lease, server)!);
    expect(nak).toMatchObject({ type: DhcpType.Nak, yiaddr: '0.0.0.0', ethDst: 'ff:ff:ff:ff:ff:ff' });
  });

  it('stays silent for a NIC it has no lease for, and for a request meant for another server', () => {
    expect(answer(parseDhcpFrame(clientFrame(DhcpType.Discover))!, undefined, server)).toBeUndefined();
    expect(answer(parseDhcpFrame(clientFrame(DhcpType.Request, { requested: lease.ip, serverId: '10.0.0.1' }))!, lease, server)).toBeUndefined();
  });
});
