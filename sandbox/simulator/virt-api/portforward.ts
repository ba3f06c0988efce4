// GET {virtualmachineinstances,virtualmachines}/{name}/portforward/{port}[/{tcp|udp}] (pkg/virt-api/rest/portforward.go,
// dialers.go, streamer.go): virt-api fetches the VMI (through its VM on the VM route), refuses a paused one, dials the
// first interface's IP at the port and upgrades the client with plain.kubevirt.io. Unlike console and vnc this is
// the websocket streamer: every binary frame is a write (for UDP, one datagram), every read goes out as one binary
// frame, and the client is pinged every second with a one-minute read deadline.
//
// The sandbox's pod network is QEMU user networking, which no host process can dial: the domain forwards a
// loopback port to the guest's port instead (handler/domain.ts), which is the same guest port KubeVirt reaches.
import dgram from 'node:dgram';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { plainStreamServer, writeRawStatus } from './consoles.ts';
import { type Deps, fetchVM, fetchVMI } from './context.ts';
import { hasCondition } from '../kubevirt/conditions.ts';
import type { VMI } from '../kubevirt/types.ts';
import { type Reply, replyOf } from './reply.ts';
import { type Status, StatusError, badRequest, conflict, internalError, vmResource, vmiResource } from './status.ts';
import type { SubresourcePath } from './request.ts';

export interface PortForwardTarget {
  port: number;
  protocol: 'tcp' | 'udp';
}

/**
 * `portforward/{port:[0-9]+}` or `portforward/{port}/{protocol:tcp|udp}` → what to dial; undefined when the path is
 * not one of virt-api's port-forward routes (go-restful then answers 404).
 */
export function portForwardTarget(subresource: string): PortForwardTarget | undefined {
  const m = /^portforward\/([0-9]+)(?:\/(tcp|udp))?$/.exec(subresource);
  if (!m) return undefined;
  return { port: Number(m[1]), protocol: (m[2] as 'tcp' | 'udp' | undefined) ?? 'tcp' };
}

/** validateVMIForPortForward. */
export function validatePortForward(vmi: VMI): Status | undefined {
  if (hasCondition(vmi, 'Paused')) return conflict(vmiResource, vmi.metadata.name, 'VMI is paused');
  return undefined;
}

/** getTargetInterfaceIP: the first interface's IP, or the 400 virt-api answers without one. */
export function targetIP(vmi: VMI): { ip?: string; error?: Status } {
  const ifaces = (vmi.status as { interfaces?: { ipAddress?: string }[] } | undefined)?.interfaces ?? [];
  if (ifaces.length < 1) return { error: badRequest('no network interfaces are present') };
  return { ip: ifaces[0]!.ipAddress ?? '' };
}

/** The VMI behind either route: the VM route wants a VM whose VMI was created (FetchVirtualMachineInstanceForVM). */
async function fetchTarget(deps: Deps, p: SubresourcePath): Promise<VMI> {
  if (p.resource === 'virtualmachines') {
    const vm = await fetchVM(deps.kube, p.namespace, p.name);
    if (!(vm.status as { created?: boolean } | undefined)?.created) throw new StatusError(conflict(vmResource, p.name, 'VMI is not started'));
  }
  return fetchVMI(deps.kube, p.namespace, p.name);
}

/** The guest end of one tunnel: a byte stream (TCP) or a datagram socket (UDP). */
interface GuestEnd {
  write(data: Buffer): void;
  onData(fn: (data: Buffer) => void): void;
  onClose(fn: () => void): void;
  pause(): void;
  resume(): void;
  destroy(): void;
}

async function dial(deps: Deps, vmi: VMI, t: PortForwardTarget): Promise<GuestEnd> {
  const { ip, error } = targetIP(vmi);
  if (error) throw new StatusError(error);
  const domain = deps.domains(vmi.metadata.namespace!, vmi.metadata.name);
  const fail = (why: string) => new StatusError(internalError(`dialing VM: dial ${t.protocol} ${ip}:${t.port}: ${why}`));
  if (!domain) throw fail('connect: no route to host');
  const hostPort = await domain.forward(t.protocol, t.port).catch((e: Error) => {
    throw fail(e.message);
  });
  if (t.protocol === 'udp') {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.connect(hostPort, '127.0.0.1', () => resolve());
    }).catch((e: Error) => {
      sock.close();
      throw fail(e.message);
    });
    sock.on('error', () => undefined);
    return {
      write: (d) => sock.send(d),
      onData: (fn) => sock.on('message', (m) => fn(m)),
      onClose: (fn) => sock.on('close', fn),
      pause: () => undefined, // datagrams are not flow-controlled: one that finds no room is dropped, as on a network
      resume: () => undefined,
      destroy: () => {
        try {
          sock.close();
        } catch {
          // already closed
        }
      },
    };
  }
  const conn = await new Promise<net.Socket>((resolve, reject) => {
    const c = net.connect(hostPort, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  }).catch((e: Error) => {
    throw fail(e.message);
  });
  conn.on('error', () => undefined);
  return {
    write: (d) => void conn.write(d),
    onData: (fn) => conn.on('data', fn),
    onClose: (fn) => conn.on('close', fn),
    pause: () => conn.pause(),
    resume: () => conn.resume(),
    destroy: () => conn.destroy(),
  };
}

/** Past this much unsent data towards the client, reading from the guest pauses. */
const highWaterMark = 1 << 20;
const pingIntervalMs = 1000;
const readDeadlineMs = 60_000;

/** Pipes one tunnel both ways until either side ends, with the keep-alive virt-api's websocket streamer keeps. */
function attach(ws: WebSocket, guest: GuestEnd) {
  let lastHeard = Date.now();
  const end = () => {
    clearInterval(ping);
    guest.destroy();
    ws.terminate();
  };
  const ping = setInterval(() => {
    if (Date.now() - lastHeard > readDeadlineMs) return end();
    if (ws.readyState === ws.OPEN) ws.ping(Buffer.from('keep alive'));
  }, pingIntervalMs);
  ws.on('pong', () => (lastHeard = Date.now()));
  guest.onData((chunk) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true }, () => {
      if (ws.bufferedAmount < highWaterMark / 2) guest.resume();
    });
    if (ws.bufferedAmount > highWaterMark) guest.pause();
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    lastHeard = Date.now();
    if (!isBinary) return;
    guest.write(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
  });
  ws.on('error', () => undefined);
  ws.on('close', end);
  guest.onClose(end);
}

export class PortForwarder {
  private readonly wss = plainStreamServer();
  private readonly open = new Set<WebSocket>();

  constructor(private readonly deps: Deps) {}

  /** Validates and dials before the upgrade (errors are plain JSON Status answers), then upgrades and pipes. */
  async upgrade(p: SubresourcePath, target: PortForwardTarget, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let guest: GuestEnd;
    try {
      const vmi = await fetchTarget(this.deps, p);
      const invalid = validatePortForward(vmi);
      if (invalid) return writeRawStatus(socket, invalid);
      guest = await dial(this.deps, vmi, target);
    } catch (e) {
      if (e instanceof StatusError) return writeRawStatus(socket, e.status);
      throw e;
    }
    if (socket.destroyed) return guest.destroy();
    let upgraded = false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      this.open.add(ws);
      ws.on('close', () => this.open.delete(ws));
      attach(ws, guest);
    });
    if (!upgraded) guest.destroy();
  }

  /** A GET without an upgrade: validated and dialled like a websocket, then refused by the upgrader with 400. */
  plainGet(p: SubresourcePath, target: PortForwardTarget): Promise<Reply> {
    return replyOf(async () => {
      const vmi = await fetchTarget(this.deps, p);
      const invalid = validatePortForward(vmi);
      if (invalid) return { type: 'status', status: invalid };
      (await dial(this.deps, vmi, target)).destroy();
      return { type: 'plain', code: 400, text: 'Bad Request\n' };
    });
  }

  closeAll() {
    for (const ws of this.open) ws.terminate();
    this.open.clear();
  }
}
