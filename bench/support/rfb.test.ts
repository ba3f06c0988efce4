import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ByteQueue, Encoding, framebufferUpdateRequest, RfbClient, RfbError, RfbHandshake, ServerMessageReader, setEncodings, type ServerMessage } from './rfb';

// Byte fixtures in the shape QEMU 7.2's VNC server (ui/vnc.c) sends for the sandbox's guests: RFB 3.8, one security
// type (None), SecurityResult OK, a ServerInit for the 720x400 VGA text screen with QEMU's default pixel format
// (32 bpp, depth 24, little-endian, true colour, max 255, shifts 16/8/0) and the name "QEMU (<ns>_<vm>)" (the
// simulator passes -name <ns>_<vm>). Written out by hand from RFC 6143 and QEMU's source, not captured from a run.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const name = 'QEMU (team-a_vm-1)';
const serverInit = Buffer.concat([
  hex('02d0 0190'), // 720 x 400
  hex('20 18 00 01 00ff 00ff 00ff 10 08 00 000000'), // pixel format
  hex(name.length.toString(16).padStart(8, '0')),
  Buffer.from(name),
]);
const serverHandshake = Buffer.concat([Buffer.from('RFB 003.008\n'), hex('01 01'), hex('00000000'), serverInit]);
const clientHandshake = Buffer.concat([Buffer.from('RFB 003.008\n'), hex('01'), hex('01')]);

/** Feeds bytes in the given chunk sizes (cycled), collecting what the handshake answers. */
function handshake(bytes: Buffer, sizes: number[]) {
  const q = new ByteQueue();
  const hs = new RfbHandshake();
  const sent: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    q.push(bytes.subarray(i, i + n));
    i += n;
    sent.push(...hs.feed(q));
  }
  return { hs, sent: Buffer.concat(sent), left: q.length };
}

describe('RFB handshake', () => {
  it.each([[[serverHandshake.length]], [[1]], [[5, 1, 13]], [[12, 2, 4, 24, 18]]])('answers QEMU 3.8 with None and a shared ClientInit (chunks %j)', (sizes) => {
    const { hs, sent, left } = handshake(serverHandshake, sizes);
    expect(hs.done).toBe(true);
    expect(sent).toEqual(clientHandshake);
    expect(left).toBe(0);
    expect(hs.serverVersion).toBe('RFB 003.008');
    expect(hs.init).toEqual({
      width: 720,
      height: 400,
      name,
      pixelFormat: { bitsPerPixel: 32, depth: 24, bigEndian: false, trueColour: true, redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0 },
    });
  });

  it('leaves bytes after ServerInit in the queue', () => {
    const { left } = handshake(Buffer.concat([serverHandshake, hex('02')]), [7]);
    expect(left).toBe(1);
  });

  it('picks None out of several types', () => {
    const { hs, sent } = handshake(Buffer.concat([Buffer.from('RFB 003.008\n'), hex('03 13 02 01'), hex('00000000'), serverInit]), [100]);
    expect(hs.done).toBe(true);
    expect(sent).toEqual(clientHandshake);
  });

  it('reports a refused connection with the server’s reason', () => {
    const reason = 'Too many clients';
    const bytes = Buffer.concat([Buffer.from('RFB 003.008\n'), hex('00'), hex(reason.length.toString(16).padStart(8, '0')), Buffer.from(reason)]);
    expect(() => handshake(bytes, [3])).toThrow(/refused the connection: Too many clients/);
  });

  it('reports a failed SecurityResult with its reason (QEMU sends the C string with its NUL)', () => {
    const reason = 'Authentication failed\0';
    const bytes = Buffer.concat([Buffer.from('RFB 003.008\n'), hex('01 01'), hex('00000001'), hex(reason.length.toString(16).padStart(8, '0')), Buffer.from(reason)]);
    expect(() => handshake(bytes, [4])).toThrow(/security handshake failed: Authentication failed/);
  });

  it('refuses servers without None, older protocol versions and non-RFB bytes', () => {
    expect(() => handshake(Buffer.concat([Buffer.from('RFB 003.008\n'), hex('01 02')]), [20])).toThrow(/does not offer security type None \(offers 2\)/);
    expect(() => handshake(Buffer.from('RFB 003.003\n'), [12])).toThrow(RfbError);
    expect(() => handshake(Buffer.from('HTTP/1.1 400'), [12])).toThrow(/not an RFB server/);
  });
});

describe('client messages', () => {
  it('SetEncodings [Raw] and a whole-screen FramebufferUpdateRequest', () => {
    expect(setEncodings([Encoding.RAW])).toEqual(hex('02 00 0001 00000000'));
    expect(setEncodings([Encoding.RAW, Encoding.DESKTOP_SIZE])).toEqual(hex('02 00 0002 00000000 ffffff21'));
    expect(framebufferUpdateRequest(false, 0, 0, 720, 400)).toEqual(hex('03 00 0000 0000 02d0 0190'));
    expect(framebufferUpdateRequest(true, 1, 2, 3, 4)).toEqual(hex('03 01 0001 0002 0003 0004'));
  });
});

describe('ByteQueue', () => {
  it('peeks and reads across chunks without consuming on a short read', () => {
    const q = new ByteQueue();
    q.push(hex('0102'));
    q.push(hex('03'));
    q.push(hex('0405'));
    expect(q.peek(4)).toEqual(hex('01020304'));
    expect(q.read(6)).toBeUndefined();
    expect(q.length).toBe(5);
    expect(q.skip(1)).toBe(1);
    expect(q.read(3)).toEqual(hex('020304'));
    expect(q.skip(10)).toBe(1);
    expect(q.length).toBe(0);
  });
});

// A 4x2 screen: an update of two Raw rectangles (2x2 and 2x2), a Bell, ServerCutText "hi", SetColourMapEntries of
// two colours, an empty update, and an update with DesktopSize then LastRect (count 0xffff).
const small = { width: 4, height: 2, pixelFormat: { bitsPerPixel: 32 } as never };
const rawRect = (x: number, y: number, w: number, h: number, fill: number) =>
  Buffer.concat([hex([x, y, w, h].map((v) => v.toString(16).padStart(4, '0')).join('') + '00000000'), Buffer.alloc(w * h * 4, fill)]);
const update = Buffer.concat([hex('00 00 0002'), rawRect(0, 0, 2, 2, 0xaa), rawRect(2, 0, 2, 2, 0xbb)]);
const stream = Buffer.concat([
  update,
  hex('02'),
  hex('03 000000 00000002'),
  Buffer.from('hi'),
  hex('01 00 0010 0002'),
  Buffer.alloc(12, 0x7f),
  hex('00 00 0000'),
  hex('00 00 ffff'),
  hex('0000 0000 0320 0258 ffffff21'), // DesktopSize 800x600
  hex('0000 0000 0000 0000 ffffff20'), // LastRect
]);
const expected = [
  { type: 'update', pixels: 8, bytes: 4 + 2 * (12 + 16), rects: [{ x: 0, y: 0, width: 2, height: 2, encoding: 0 }, { x: 2, y: 0, width: 2, height: 2, encoding: 0 }] },
  { type: 'bell', bytes: 1 },
  { type: 'cut-text', text: 'hi', bytes: 10 },
  { type: 'colour-map', first: 16, count: 2, bytes: 18 },
  { type: 'update', pixels: 0, bytes: 4, rects: [] },
  { type: 'update', pixels: 0, bytes: 28, rects: [{ x: 0, y: 0, width: 800, height: 600, encoding: -223 }, { x: 0, y: 0, width: 0, height: 0, encoding: -224 }] },
];

describe('ServerMessageReader', () => {
  it.each([[stream.length], [1], [3], [7], [29]])('reads every message whatever the chunking (%i-byte chunks)', (size) => {
    const r = new ServerMessageReader(small);
    const got: ServerMessage[] = [];
    for (let i = 0; i < stream.length; i += size) got.push(...r.push(stream.subarray(i, i + size), i));
    expect(got).toMatchObject(expected);
    expect(got.reduce((n, m) => n + m.bytes, 0)).toBe(stream.length);
    expect(r.pending).toBe(0);
    expect([r.width, r.height]).toEqual([800, 600]);
  });

  it('times an update from the chunk of its first byte to the chunk of its last', () => {
    // A whole 720x400 screen in one Raw rectangle, arriving in 64 KiB chunks at t = 0, 1, 2, ...
    const r = new ServerMessageReader({ width: 720, height: 400, pixelFormat: { bitsPerPixel: 32 } as never });
    const frame = Buffer.concat([hex('00 00 0001'), rawRect(0, 0, 720, 400, 0x11)]);
    const chunk = 64 * 1024;
    const got: ServerMessage[] = [];
    let t = 0;
    for (let i = 0; i < frame.length; i += chunk, t++) got.push(...r.push(frame.subarray(i, i + chunk), t));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: 'update', pixels: 720 * 400, bytes: 16 + 720 * 400 * 4, startedAt: 0, endedAt: t - 1 });
    expect(r.pending).toBe(0);
  });

  it('does not take encodings it cannot measure', () => {
    const r = new ServerMessageReader(small);
    expect(() => r.push(Buffer.concat([hex('00 00 0001'), hex('0000 0000 0004 0002 00000007')]))).toThrow(/unsupported encoding 7/);
    expect(() => new ServerMessageReader(small).push(hex('09'))).toThrow(/unknown server message type 9/);
  });
});

/** A websocket stand-in: records what is sent, and the test plays the server. */
class FakeSocket extends EventEmitter {
  sent: Buffer[] = [];
  send(b: Buffer) {
    this.sent.push(Buffer.from(b));
  }
  resume() {}
  terminate() {
    this.emit('close', 1006, Buffer.alloc(0));
  }
  serve(b: Buffer) {
    this.emit('message', b, true);
  }
}

describe('RfbClient', () => {
  it('handshakes, asks for Raw, and reads a full frame', async () => {
    const ws = new FakeSocket();
    const opening = RfbClient.open(ws as unknown as WebSocket, 1000);
    ws.serve(serverHandshake.subarray(0, 12));
    ws.serve(serverHandshake.subarray(12, 20));
    ws.serve(serverHandshake.subarray(20));
    const rfb = await opening;
    expect(Buffer.concat(ws.sent)).toEqual(Buffer.concat([clientHandshake, setEncodings([0])]));
    expect(rfb.init.name).toBe(name);

    ws.sent = [];
    const frame = rfb.fullFrame(1000);
    expect(ws.sent).toEqual([framebufferUpdateRequest(false, 0, 0, 720, 400)]);
    // An earlier incremental update (a few pixels) does not count as the frame.
    ws.serve(Buffer.concat([hex('00 00 0001'), rawRect(0, 0, 8, 16, 1)]));
    const full = Buffer.concat([hex('00 00 0001'), rawRect(0, 0, 720, 400, 2)]);
    ws.serve(full.subarray(0, 1000));
    ws.serve(full.subarray(1000));
    const stats = await frame;
    expect(stats.bytes).toBe(full.length);
    expect(stats.rects).toBe(1);
    expect(stats.endedAt).toBeGreaterThanOrEqual(stats.startedAt);
    expect(rfb.updates).toBe(2);
  });

  it('rejects a frame when the socket closes, with the close code', async () => {
    const ws = new FakeSocket();
    const opening = RfbClient.open(ws as unknown as WebSocket, 1000);
    ws.serve(serverHandshake);
    const rfb = await opening;
    const frame = rfb.fullFrame(1000);
    ws.emit('close', 4003, Buffer.from('replaced'));
    await expect(frame).rejects.toThrow(/closed: 4003 replaced/);
  });
});
