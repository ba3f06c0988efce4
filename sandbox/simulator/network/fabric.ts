// The wires of the secondary networks. Each L2 segment (a bridge and VLAN, an SR-IOV VF pool) is a UDP multicast
// group on loopback that the QEMU NICs on it join (`-netdev socket,mcast=`): a hub every guest on the segment hears,
// and no other segment does. The fabric also answers DHCP on each segment for the NICs it has leases for.
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { answer, parseDhcpFrame, type DhcpLease } from './dhcp.ts';

export interface Endpoint {
  group: string;
  port: number;
}

/**
 * The multicast group of a segment. The port carries SANDBOX_PORT_OFFSET, so a second sandbox on the machine has
 * wires of its own even for segments of the same name.
 */
export function endpointOf(segment: string, port: number): Endpoint {
  const h = createHash('sha256').update(segment).digest();
  return { group: `239.${h[0]}.${h[1]}.${h[2]! | 1}`, port };
}

/** The QEMU -netdev argument (without the id) that joins a segment. */
export const netdevFor = (e: Endpoint) => `socket,mcast=${e.group}:${e.port},localaddr=127.0.0.1`;

// KubeVirt's DHCP server answers from a link-local address of its own, not from an address of the network.
const server = { ip: '169.254.75.10', mac: '02:00:00:00:4b:0a' };

class Segment {
  private readonly socket: dgram.Socket;
  readonly leases = new Map<string, DhcpLease>();
  private ready: Promise<void>;

  constructor(readonly endpoint: Endpoint) {
    this.socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    this.socket.on('message', (frame) => this.onFrame(frame));
    this.ready = new Promise((resolve, reject) => {
      // A wire that cannot be joined fails the pod's start with the reason, rather than holding it forever.
      this.socket.on('error', reject);
      this.socket.on('close', () => reject(new Error(`segment ${endpoint.group}:${endpoint.port} closed`)));
      // Bound to the group itself: a socket bound to the wildcard would hear every segment on this port.
      this.socket.bind(endpoint.port, endpoint.group, () => {
        try {
          this.socket.addMembership(endpoint.group, '127.0.0.1');
          this.socket.setMulticastInterface('127.0.0.1');
          this.socket.setMulticastLoopback(true);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
    this.ready.catch(() => {}); // observed by whoever plugs; never an unhandled rejection
  }

  whenReady() {
    return this.ready;
  }

  private onFrame(frame: Buffer) {
    const req = parseDhcpFrame(frame);
    if (!req) return;
    const reply = answer(req, this.leases.get(req.mac), server);
    if (reply) this.socket.send(reply, this.endpoint.port, this.endpoint.group);
  }

  close() {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

export class Fabric {
  private readonly segments = new Map<string, Segment>();

  constructor(private readonly port: number) {}

  endpoint(segment: string): Endpoint {
    return endpointOf(segment, this.port);
  }

  /** Serves `lease` to the NIC with `mac` on `segment` (undefined: the NIC is on the wire but gets no address). */
  async plug(segment: string, mac: string, lease?: DhcpLease): Promise<Endpoint> {
    let s = this.segments.get(segment);
    if (!s) {
      s = new Segment(this.endpoint(segment));
      this.segments.set(segment, s);
    }
    if (lease) s.leases.set(mac.toLowerCase(), lease);
    try {
      await s.whenReady();
    } catch (e) {
      if (this.segments.get(segment) === s) this.segments.delete(segment);
      s.close();
      throw e;
    }
    return s.endpoint;
  }

  unplug(segment: string, mac: string) {
    const s = this.segments.get(segment);
    if (!s) return;
    s.leases.delete(mac.toLowerCase());
    if (!s.leases.size) {
      s.close();
      this.segments.delete(segment);
    }
  }

  close() {
    for (const s of this.segments.values()) s.close();
    this.segments.clear();
  }
}
