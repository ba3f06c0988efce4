// The console and vnc websockets (pkg/virt-api/rest/{console,vnc,streamer}.go and virt-handler's console.go).
//
// virt-api fetches and validates the VMI (errors are plain HTTP answers with a JSON Status, before any upgrade),
// dials virt-handler, which upgrades and connects QEMU's serial or VNC unix socket, and then upgrades the client
// with the only subprotocol it knows, plain.kubevirt.io. The stream is raw bytes in binary frames; text frames
// from the client are dropped. virt-handler keeps one serial and one VNC stream per VMI: a new connection ends the
// previous one. When either side ends, the other is torn down without a close handshake (Go closes the TCP
// connection), so the client sees an abnormal closure.
//
// preserveSession (vnc only, KubeVirt 1.6.3+, PR #15267): `?preserveSession=true` asks to connect only if no VNC
// stream is open for the VMI. virt-handler's VNCHandler then refuses with WriteError(503, "Active VNC connection.
// Request denied.") before upgrading, and virt-api (1.6.4+: handlerDial.Dial wraps the failed dial with
// kvcorev1.EnrichError) answers its client a 500 InternalError Status carrying that text. Without the parameter (or
// with false) the previous viewer is dropped, as before. vnc/screenshot asks with preserveSession=true itself.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type Deps, type DomainLike, fetchVMI } from './context.ts';
import { validateVnc, vncInUseStatus } from './guest.ts';
import { isRunning, phaseOf } from '../kubevirt/phase.ts';
import type { VMI } from '../kubevirt/types.ts';
import { type Reply, replyOf } from './reply.ts';
import { type Status, StatusError, badRequest, conflict, internalError, vmiResource } from './status.ts';

export type ConsoleKind = 'console' | 'vnc';

export const plainStreamProtocol = 'plain.kubevirt.io';

/** gorilla's Upgrader with Subprotocols [plain.kubevirt.io]: pick it when offered, otherwise answer without one. */
export function selectProtocol(offered: Set<string>): string | false {
  return offered.has(plainStreamProtocol) ? plainStreamProtocol : false;
}

/** validateVMIForConsole. */
export function validateConsole(vmi: VMI): Status | undefined {
  if (vmi.spec?.domain?.devices?.autoattachSerialConsole === false) return badRequest('No serial consoles are present.');
  if (phaseOf(vmi) === 'Failed') return conflict(vmiResource, vmi.metadata.name, 'VMI is in failed status');
  if (!isRunning(vmi)) return badRequest('VMI is not running');
  return undefined;
}

export const validatorFor = (kind: ConsoleKind) => (kind === 'console' ? validateConsole : validateVnc);

/** Go's strconv.ParseBool; anything it does not accept (absent, empty, "yes") is an error, which KubeVirt logs and reads as false. */
export function parseGoBool(value: string | null | undefined): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value ?? '');
}

/** The `preserveSession` query parameter of a vnc (or vnc/screenshot) request URL. */
export function preserveSessionOf(url: string | undefined): boolean {
  return parseGoBool(new URL(url ?? '/', 'https://virt-api').searchParams.get('preserveSession'));
}

/** virt-api's upgrader for its streams: plain.kubevirt.io only, no compression, upgrades handed in by the server. */
export function plainStreamServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, handleProtocols: (protocols) => selectProtocol(protocols) });
}

/** A JSON Status as a complete HTTP response on the raw socket of an upgrade request. */
export function writeRawStatus(socket: Duplex, s: Status) {
  const body = JSON.stringify(s);
  socket.end(
    `HTTP/1.1 ${s.code} ${STATUS_CODES[s.code] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

/** Past this much unsent data towards the client, reading QEMU's socket pauses. */
const highWaterMark = 1 << 20;

/** One client stream: the websocket and QEMU's unix socket, torn down together. */
class Stream {
  ws?: WebSocket;
  unix?: net.Socket;
  closed = false;
  private onClosed: (() => void)[] = [];

  /** Ends both sides; resolves once QEMU's socket is closed, so the next client can connect. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.ws?.terminate();
      this.unix?.destroy();
    }
    const unix = this.unix;
    if (!unix || unix.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 1000);
      unix.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  whenClosed(fn: () => void) {
    this.onClosed.push(fn);
  }

  /** Pipes bytes both ways until either side ends. */
  attach(ws: WebSocket, unix: net.Socket) {
    this.ws = ws;
    this.unix = unix;
    const end = () => {
      void this.close();
      for (const fn of this.onClosed.splice(0)) fn();
    };
    if (this.closed) {
      end();
      return;
    }
    unix.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(chunk, { binary: true }, () => {
        if (unix.isPaused() && ws.bufferedAmount < highWaterMark / 2) unix.resume();
      });
      if (ws.bufferedAmount > highWaterMark) unix.pause();
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return; // virt-handler's binaryReader skips text frames
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!unix.destroyed) unix.write(buf);
    });
    unix.on('error', () => undefined);
    ws.on('error', () => undefined);
    unix.on('close', end);
    ws.on('close', end);
  }
}

/** The console and vnc upgrade handling, with the per-VMI exclusivity virt-handler keeps. */
export class ConsoleProxy {
  private readonly wss = plainStreamServer();
  /** The current stream per `${kind}/${vmi uid}`. */
  private readonly active = new Map<string, Stream>();

  constructor(private readonly deps: Deps) {}

  /** How many streams are open (for tests and diagnostics). */
  get openStreams() {
    return this.active.size;
  }

  private static keyOf(kind: ConsoleKind, vmi: VMI) {
    return `${kind}/${vmi.metadata.uid ?? `${vmi.metadata.namespace}/${vmi.metadata.name}`}`;
  }

  /** virt-handler's vncInUse: a VNC stream of this VMI is open (or being set up). */
  vncInUse(vmi: VMI): boolean {
    return this.active.has(ConsoleProxy.keyOf('vnc', vmi));
  }

  /** Validates the VMI, ends the previous stream of that kind, connects QEMU's socket and upgrades the client. */
  async upgrade(kind: ConsoleKind, ns: string, name: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let vmi: VMI;
    try {
      vmi = await fetchVMI(this.deps.kube, ns, name);
    } catch (e) {
      if (e instanceof StatusError) return writeRawStatus(socket, e.status);
      throw e;
    }
    const invalid = validatorFor(kind)(vmi);
    if (invalid) return writeRawStatus(socket, invalid);
    const domain = this.deps.domains(ns, name);
    if (!domain) return writeRawStatus(socket, internalError('dialing virt-handler: websocket: bad handshake'));
    // Checked and claimed in one synchronous step, as virt-handler does under its vncLock.
    if (kind === 'vnc' && preserveSessionOf(req.url) && this.vncInUse(vmi)) return writeRawStatus(socket, vncInUseStatus());

    const key = ConsoleProxy.keyOf(kind, vmi);
    const stream = new Stream();
    const previous = this.active.get(key);
    this.active.set(key, stream);
    stream.whenClosed(() => {
      if (this.active.get(key) === stream) this.active.delete(key);
    });
    if (previous) await previous.close();

    let unix: net.Socket | undefined;
    if (!stream.closed) unix = await connect(domain, kind).catch(() => undefined);
    if (socket.destroyed) {
      unix?.destroy();
      if (this.active.get(key) === stream) this.active.delete(key);
      return;
    }

    let upgraded = false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      if (!unix || stream.closed) {
        // virt-handler has already upgraded when its dial fails (or a newer client took over): the stream just ends.
        unix?.destroy();
        ws.terminate();
        if (this.active.get(key) === stream) this.active.delete(key);
        return;
      }
      stream.attach(ws, unix);
    });
    if (!upgraded) {
      // ws refused the handshake (and answered it).
      unix?.destroy();
      if (this.active.get(key) === stream) this.active.delete(key);
    }
  }

  /**
   * A GET without an upgrade: virt-api validates and dials like for a websocket, then gorilla refuses the
   * handshake with a plain 400 "Bad Request".
   */
  plainGet(kind: ConsoleKind, ns: string, name: string, url?: string): Promise<Reply> {
    return replyOf(async () => {
      const vmi = await fetchVMI(this.deps.kube, ns, name);
      const invalid = validatorFor(kind)(vmi);
      if (invalid) return { type: 'status', status: invalid };
      if (!this.deps.domains(ns, name)) return { type: 'status', status: internalError('dialing virt-handler: websocket: bad handshake') };
      if (kind === 'vnc' && preserveSessionOf(url) && this.vncInUse(vmi)) return { type: 'status', status: vncInUseStatus() };
      return { type: 'plain', code: 400, text: 'Bad Request\n' };
    });
  }

  /** Ends every open stream. */
  async closeAll() {
    await Promise.all([...this.active.values()].map((s) => s.close()));
    this.active.clear();
  }
}

function connect(domain: DomainLike, kind: ConsoleKind): Promise<net.Socket> {
  return kind === 'console' ? domain.connectSerial() : domain.connectVnc();
}
