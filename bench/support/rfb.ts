// A minimal RFB 3.8 client (RFC 6143) for the console benchmark: ProtocolVersion, security type None, ClientInit
// (shared), ServerInit, SetEncodings [Raw], FramebufferUpdateRequest, and a streaming reader of the server's
// messages that walks every rectangle of an update without keeping its pixels. Only Raw is asked for; CopyRect,
// DesktopSize and LastRect are understood in case a server sends them anyway, any other encoding is an error (its
// length could not be known). The parsing is pure (bytes in, messages out) and tested on byte fixtures; RfbClient
// puts it on a websocket carrying plain.kubevirt.io's raw bytes.
import type { RawData, WebSocket } from 'ws';

export const RFB_VERSION = 'RFB 003.008\n';
export const SECURITY_NONE = 1;
export const Encoding = { RAW: 0, COPY_RECT: 1, DESKTOP_SIZE: -223, LAST_RECT: -224 } as const;

export class RfbError extends Error {}

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

export interface ServerInit {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  name: string;
}

/** Bytes received and not yet parsed, as a list of chunks: nothing is copied unless a field spans two chunks. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private offset = 0; // into chunks[0]
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first n bytes (contiguous), or undefined while fewer have arrived. Does not consume them. */
  peek(n: number): Buffer | undefined {
    if (this.length < n) return undefined;
    const first = this.chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (first && first.length - this.offset >= n) return first.subarray(this.offset, this.offset + n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (let i = 0, off = this.offset; filled < n; i++, off = 0) {
      const c = this.chunks[i]!;
      filled += c.copy(out, filled, off, Math.min(c.length, off + n - filled));
    }
    return out;
  }

  /** The first n bytes, consumed; undefined (and nothing consumed) while fewer have arrived. */
  read(n: number): Buffer | undefined {
    const b = this.peek(n);
    if (b) this.skip(n);
    return b === undefined ? undefined : Buffer.from(b); // a copy: the chunk it came from may be reused by ws
  }

  /** Consumes up to n bytes; returns how many were consumed. */
  skip(n: number): number {
    let left = Math.min(n, this.length);
    const done = left;
    while (left > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.offset;
      if (avail > left) {
        this.offset += left;
        left = 0;
      } else {
        left -= avail;
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.length -= done;
    return done;
  }
}

export function parsePixelFormat(b: Buffer): PixelFormat {
  return {
    bitsPerPixel: b.readUInt8(0),
    depth: b.readUInt8(1),
    bigEndian: b.readUInt8(2) !== 0,
    trueColour: b.readUInt8(3) !== 0,
    redMax: b.readUInt16BE(4),
    greenMax: b.readUInt16BE(6),
    blueMax: b.readUInt16BE(8),
    redShift: b.readUInt8(10),
    greenShift: b.readUInt8(11),
    blueShift: b.readUInt8(12),
  };
}

// Client messages.
export const clientInit = (shared = true) => Buffer.from([shared ? 1 : 0]);

export function setEncodings(encodings: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * encodings.length);
  b.writeUInt8(2, 0);
  b.writeUInt16BE(encodings.length, 2);
  encodings.forEach((e, i) => b.writeInt32BE(e, 4 + 4 * i));
  return b;
}

export function framebufferUpdateRequest(incremental: boolean, x: number, y: number, width: number, height: number): Buffer {
  const b = Buffer.alloc(10);
  b.writeUInt8(3, 0);
  b.writeUInt8(incremental ? 1 : 0, 1);
  b.writeUInt16BE(x, 2);
  b.writeUInt16BE(y, 4);
  b.writeUInt16BE(width, 6);
  b.writeUInt16BE(height, 8);
  return b;
}

/**
 * The client's side of the handshake up to ServerInit, as a state machine: feed it what the server sent, send what
 * it returns. Throws RfbError when the server refuses (its reason included) or speaks something else.
 */
export class RfbHandshake {
  private state: 'version' | 'security-types' | 'security-result' | 'server-init' | 'done' = 'version';
  serverVersion?: string;
  init?: ServerInit;

  get done(): boolean {
    return this.state === 'done';
  }

  /** Consumes what it can from q; returns the bytes to send, in order. */
  feed(q: ByteQueue): Buffer[] {
    const out: Buffer[] = [];
    for (;;) {
      if (this.state === 'version') {
        const b = q.read(12);
        if (!b) return out;
        const v = b.toString('latin1');
        const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(v);
        if (!m) throw new RfbError(`not an RFB server: ${JSON.stringify(v)}`);
        if (Number(m[1]) !== 3 || Number(m[2]) < 8) throw new RfbError(`the server speaks ${v.trim()}, this client only 3.8`);
        this.serverVersion = v.trim();
        out.push(Buffer.from(RFB_VERSION, 'latin1'));
        this.state = 'security-types';
      } else if (this.state === 'security-types') {
        const n = q.peek(1)?.readUInt8(0);
        if (n === undefined) return out;
        if (n === 0) {
          const reason = readReason(q, 1);
          if (reason === undefined) return out;
          throw new RfbError(`the server refused the connection: ${reason}`);
        }
        const b = q.read(1 + n);
        if (!b) return out;
        const types = [...b.subarray(1)];
        if (!types.includes(SECURITY_NONE)) throw new RfbError(`the server does not offer security type None (offers ${types.join(', ')})`);
        out.push(Buffer.from([SECURITY_NONE]));
        this.state = 'security-result';
      } else if (this.state === 'security-result') {
        const status = q.peek(4)?.readUInt32BE(0);
        if (status === undefined) return out;
        if (status !== 0) {
          const reason = readReason(q, 4);
          if (reason === undefined) return out;
          throw new RfbError(`security handshake failed: ${reason}`);
        }
        q.skip(4);
        out.push(clientInit(true));
        this.state = 'server-init';
      } else if (this.state === 'server-init') {
        const head = q.peek(24);
        if (!head) return out;
        const nameLength = head.readUInt32BE(20);
        const b = q.read(24 + nameLength);
        if (!b) return out;
        this.init = { width: b.readUInt16BE(0), height: b.readUInt16BE(2), pixelFormat: parsePixelFormat(b.subarray(4, 20)), name: b.subarray(24).toString('utf8') };
        this.state = 'done';
        return out;
      } else {
        return out;
      }
    }
  }
}

/** A U32 length and that many bytes of text after `skip` bytes, all consumed; undefined (nothing consumed) if short. */
function readReason(q: ByteQueue, skip: number): string | undefined {
  const head = q.peek(skip + 4);
  if (!head) return undefined;
  const b = q.read(skip + 4 + head.readUInt32BE(skip));
  return b?.subarray(skip + 4).toString('utf8');
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  encoding: number;
}

interface Timed {
  bytes: number; // of the whole message, header included
  startedAt: number; // arrival time of the chunk holding its first byte
  endedAt: number; // arrival time of the chunk holding its last byte
}

export type ServerMessage =
  | ({ type: 'update'; rects: Rect[]; pixels: number } & Timed) // pixels: area covered by Raw rectangles
  | ({ type: 'colour-map'; first: number; count: number } & Timed)
  | ({ type: 'bell' } & Timed)
  | ({ type: 'cut-text'; text: string } & Timed);

/**
 * The server's messages after ServerInit, read as they stream in. Pixel data is skipped as it arrives, never
 * gathered, so a 4 MB frame costs no more memory than its chunks.
 */
export class ServerMessageReader {
  private q = new ByteQueue();
  private bytesPerPixel: number;
  // The message being read.
  private cur?: {
    type: 0 | 1; // FramebufferUpdate or SetColourMapEntries
    bytes: number;
    startedAt: number;
    rects: Rect[];
    rectsLeft: number;
    pixels: number;
    skipLeft: number;
    phase: 'rect-header' | 'skip';
    first: number; // colour map only
    count: number;
  };
  width: number;
  height: number;

  constructor(init: Pick<ServerInit, 'width' | 'height' | 'pixelFormat'>) {
    this.bytesPerPixel = init.pixelFormat.bitsPerPixel / 8;
    this.width = init.width;
    this.height = init.height;
  }

  /** Bytes handed in that belong to no complete message yet. */
  get pending(): number {
    return this.q.length;
  }

  /** Hands in bytes that arrived at time `at` (any clock); returns the messages they completed, in order. */
  push(chunk: Buffer, at = 0): ServerMessage[] {
    this.q.push(chunk);
    const out: ServerMessage[] = [];
    for (;;) {
      const m = this.step(at);
      if (m === undefined) return out;
      if (m !== null) out.push(m);
    }
  }

  /** undefined: needs more bytes; null: progressed, no message yet; else a finished message. */
  private step(at: number): ServerMessage | null | undefined {
    const q = this.q;
    const c = this.cur;
    if (!c) {
      const type = q.peek(1)?.readUInt8(0);
      if (type === undefined) return undefined;
      switch (type) {
        case 0: {
          const h = q.read(4);
          if (!h) return undefined;
          const n = h.readUInt16BE(2);
          this.cur = { type, bytes: 4, startedAt: at, rects: [], rectsLeft: n, pixels: 0, skipLeft: 0, phase: 'rect-header', first: 0, count: 0 };
          return n === 0 ? this.finishUpdate(at) : null;
        }
        case 1: {
          const h = q.read(6);
          if (!h) return undefined;
          const count = h.readUInt16BE(4);
          this.cur = { type, bytes: 6, startedAt: at, rects: [], rectsLeft: 0, pixels: 0, skipLeft: 6 * count, phase: 'skip', first: h.readUInt16BE(2), count };
          return null;
        }
        case 2:
          q.skip(1);
          return { type: 'bell', bytes: 1, startedAt: at, endedAt: at };
        case 3: {
          const h = q.peek(8);
          if (!h) return undefined;
          const b = q.read(8 + h.readUInt32BE(4));
          if (!b) return undefined; // cut text is small: gathered whole
          return { type: 'cut-text', text: b.subarray(8).toString('latin1'), bytes: b.length, startedAt: at, endedAt: at };
        }
        default:
          throw new RfbError(`unknown server message type ${type}`);
      }
    }
    if (c.phase === 'skip') {
      if (c.skipLeft > 0) {
        const n = q.skip(c.skipLeft);
        c.skipLeft -= n;
        c.bytes += n;
        if (c.skipLeft > 0) return undefined;
      }
      if (c.type === 1) {
        this.cur = undefined;
        return { type: 'colour-map', first: c.first, count: c.count, bytes: c.bytes, startedAt: c.startedAt, endedAt: at };
      }
      c.rectsLeft--;
      if (c.rectsLeft === 0) return this.finishUpdate(at);
      c.phase = 'rect-header';
      return null;
    }
    // A rectangle's header.
    const h = q.read(12);
    if (!h) return undefined;
    c.bytes += 12;
    const r: Rect = { x: h.readUInt16BE(0), y: h.readUInt16BE(2), width: h.readUInt16BE(4), height: h.readUInt16BE(6), encoding: h.readInt32BE(8) };
    c.rects.push(r);
    switch (r.encoding) {
      case Encoding.RAW:
        c.skipLeft = r.width * r.height * this.bytesPerPixel;
        c.pixels += r.width * r.height;
        break;
      case Encoding.COPY_RECT:
        c.skipLeft = 4;
        break;
      case Encoding.DESKTOP_SIZE:
        this.width = r.width;
        this.height = r.height;
        c.skipLeft = 0;
        break;
      case Encoding.LAST_RECT:
        return this.finishUpdate(at);
      default:
        throw new RfbError(`unsupported encoding ${r.encoding} in a framebuffer update (only Raw was asked for)`);
    }
    c.phase = 'skip';
    return null;
  }

  private finishUpdate(at: number): ServerMessage {
    const c = this.cur!;
    this.cur = undefined;
    return { type: 'update', rects: c.rects, pixels: c.pixels, bytes: c.bytes, startedAt: c.startedAt, endedAt: at };
  }
}

export interface FrameStats {
  bytes: number; // of the update message
  rects: number;
  requestedAt: number;
  startedAt: number; // first byte of the update arrived
  endedAt: number; // last byte arrived
}

const toBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** An RFB session over an open plain.kubevirt.io websocket (to the portal or straight to the API server). */
export class RfbClient {
  private reader: ServerMessageReader;
  private waiters: ((m: ServerMessage) => void)[] = [];
  bytesReceived = 0;
  updates = 0;
  closed?: { code: number; reason: string };
  private failed?: Error;

  private constructor(
    readonly ws: WebSocket,
    readonly init: ServerInit,
    leftover: ByteQueue,
  ) {
    this.reader = new ServerMessageReader(init);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return;
      const at = performance.now();
      const buf = toBuffer(data);
      this.bytesReceived += buf.length;
      this.deliver(buf, at);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
    });
    const rest = leftover.read(leftover.length);
    if (rest && rest.length) this.deliver(rest, performance.now());
  }

  private deliver(buf: Buffer, at: number) {
    if (this.failed) return;
    try {
      for (const m of this.reader.push(buf, at)) {
        if (m.type === 'update') this.updates++;
        for (const w of this.waiters.splice(0)) w(m);
      }
    } catch (err) {
      this.failed = err as Error;
      this.ws.terminate();
    }
  }

  /**
   * Handshake (None, shared), then SetEncodings [Raw]. The socket must be open and not yet read from (opened paused,
   * as bench/support/consoles.ts does: the server speaks first); this resumes it.
   */
  static open(ws: WebSocket, timeoutMs = 15_000): Promise<RfbClient> {
    return new Promise((resolve, reject) => {
      const q = new ByteQueue();
      const hs = new RfbHandshake();
      const cleanup = () => {
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.off('close', onClose);
      };
      const fail = (err: Error) => {
        cleanup();
        reject(err);
      };
      const timer = setTimeout(() => fail(new RfbError(`no RFB handshake within ${timeoutMs} ms`)), timeoutMs);
      const onClose = (code: number, reason: Buffer) => fail(new RfbError(`closed during the RFB handshake: ${code} ${reason.toString()}`));
      const onMessage = (data: RawData, isBinary: boolean) => {
        if (!isBinary) return;
        q.push(toBuffer(data));
        try {
          for (const b of hs.feed(q)) ws.send(b);
        } catch (err) {
          fail(err as Error);
          return;
        }
        if (hs.done) {
          cleanup();
          ws.send(setEncodings([Encoding.RAW]));
          resolve(new RfbClient(ws, hs.init!, q));
        }
      };
      ws.on('message', onMessage);
      ws.on('close', onClose);
      // The socket may have been opened paused, so the server's first bytes wait for these listeners.
      ws.resume();
    });
  }

  get width(): number {
    return this.reader.width;
  }

  get height(): number {
    return this.reader.height;
  }

  /** The next message that matches, or a rejection after timeoutMs or when the socket closes. */
  private next(match: (m: ServerMessage) => boolean, timeoutMs: number): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const gone = () => this.failed ?? (this.closed && new RfbError(`VNC socket closed: ${this.closed.code} ${this.closed.reason}`));
      const already = gone();
      if (already) return reject(already);
      const done = () => {
        clearTimeout(timer);
        this.ws.off('close', onClose);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      const onClose = () => {
        done();
        reject(gone() || new RfbError('VNC socket closed'));
      };
      const timer = setTimeout(() => {
        done();
        reject(new RfbError(`no framebuffer update within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: ServerMessage) => {
        if (!match(m)) {
          this.waiters.push(waiter);
          return;
        }
        done();
        resolve(m);
      };
      this.waiters.push(waiter);
      this.ws.once('close', onClose);
    });
  }

  /**
   * A non-incremental FramebufferUpdateRequest for the whole screen, and the update that covers it, read to its
   * last byte. (An update answering an earlier incremental request may come first; it is not counted as the frame.)
   */
  async fullFrame(timeoutMs = 15_000): Promise<FrameStats> {
    const requestedAt = performance.now();
    // The whole screen, give or take a 16-pixel column: QEMU tracks dirt in 16-pixel blocks (it rounds its screen
    // width up to them, but a server that does not could leave the last partial block out).
    const whole = Math.max(1, this.width - 15) * this.height;
    const p = this.next((m) => m.type === 'update' && m.pixels >= whole, timeoutMs);
    this.ws.send(framebufferUpdateRequest(false, 0, 0, this.width, this.height));
    const m = (await p) as Extract<ServerMessage, { type: 'update' }>;
    return { bytes: m.bytes, rects: m.rects.length, requestedAt, startedAt: m.startedAt, endedAt: m.endedAt };
  }

  /** An incremental request for the whole screen (what a viewer sends to keep its picture current); not awaited. */
  requestIncremental(): void {
    this.ws.send(framebufferUpdateRequest(true, 0, 0, this.width, this.height));
  }
}
