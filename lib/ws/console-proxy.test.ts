import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { ConsoleProxy, type ConsoleLimits } from './console-proxy';
import { watchSessionEnd } from '../auth/session-end';
import type { IdentityResult } from '../auth/session-check';
import { openSubresourceSocket } from '../k8s/subresource-socket';
import type { K8sIdentity } from '../k8s/identity';
import { sampleValue } from '../metrics/test-samples';
import { UpgradeRouter } from '../server/upgrade-router';
import { CONSOLE_SUBPROTOCOL, CONSOLES_PREFIX, ConsoleClose, consolePath } from '../shared/console-protocol';

// The whole upgrade path in-process: a real http server with the router and the proxy, a real ws server on loopback
// playing KubeVirt's console endpoint behind the API server, and real ws clients playing the browser. The session,
// the access review and the session-end check are small fakes at the boundary.

const ORIGIN = 'https://portal.example.com';
const quiet = () => undefined;
const servers: Server[] = [];
const proxies: ConsoleProxy[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  for (const p of proxies.splice(0)) p.closeAll();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
}

interface UpstreamConn {
  ws: WebSocket;
  url: string;
  headers: IncomingMessage['headers'];
  received: Buffer[];
  closed: Promise<{ code: number }>;
}

/**
 * KubeVirt's console and vnc endpoints as virt-api answers them: refusals as plain HTTP before any upgrade
 * ("stopped": 400 VMI is not running; vnc "busy" with preserveSession=true: 409 Active VNC connection), and one
 * stream per VMI and kind: a new connection ends the previous one without a close handshake.
 */
async function fakeKubeVirt(opts: { autoPong?: boolean } = {}) {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, autoPong: opts.autoPong ?? true, handleProtocols: (p) => (p.has(CONSOLE_SUBPROTOCOL) ? CONSOLE_SUBPROTOCOL : false) });
  const requests: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const conns: UpstreamConn[] = [];
  const current = new Map<string, UpstreamConn>();
  const waiters: ((c: UpstreamConn) => void)[] = [];
  const server = createServer((_, res) => res.writeHead(400).end());
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', quiet);
    const url = req.url ?? '';
    requests.push({ url, headers: req.headers });
    const m = /^\/apis\/subresources\.kubevirt\.io\/v1\/namespaces\/([^/]+)\/virtualmachineinstances\/([^/]+)\/(console|vnc)(\?.*)?$/.exec(url);
    const answer = (code: number, text: string, type: string, body: string) =>
      socket.end(`HTTP/1.1 ${code} ${text}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    if (!m) return answer(404, 'Not Found', 'text/plain', '404 page not found');
    const [, ns, name, kind, query] = m;
    if (name === 'stopped') {
      return answer(400, 'Bad Request', 'application/json', JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'VMI is not running', reason: 'BadRequest', code: 400 }));
    }
    if (kind === 'vnc' && name === 'busy' && query === '?preserveSession=true') return answer(409, 'Conflict', 'text/plain', 'Active VNC connection. Request denied.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const key = `${kind}/${ns}/${name}`;
      current.get(key)?.ws.terminate();
      const received: Buffer[] = [];
      ws.on('message', (d: RawData, isBinary) => {
        if (isBinary) received.push(Buffer.from(d as Buffer));
      });
      ws.on('error', quiet);
      const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
      // A VNC server speaks first: its banner goes out the moment the stream is up.
      if (name === 'banner') ws.send(Buffer.from('RFB 003.008\n'), { binary: true });
      const c: UpstreamConn = { ws, url, headers: req.headers, received, closed };
      current.set(key, c);
      conns.push(c);
      waiters.shift()?.(c);
    });
  });
  const port = await listen(server);
  return {
    port,
    requests,
    conns,
    /** The next upstream connection (or the latest one made since the last call). */
    next: (): Promise<UpstreamConn> => new Promise((r) => waiters.push(r)),
  };
}

type Fake = Awaited<ReturnType<typeof fakeKubeVirt>>;

const LIMITS: ConsoleLimits = { perUser: 3, total: 5, maxFrameBytes: 1024 * 1024, bufferBytes: 256 * 1024 };

async function portal(opts: { limits?: Partial<ConsoleLimits>; pingIntervalMs?: number; autoPong?: boolean } = {}) {
  const upstream = await fakeKubeVirt({ autoPong: opts.autoPong });
  const revoked = new Set<string>();
  const reviews: string[] = [];
  const proxy = new ConsoleProxy({
    expectedOrigin: ORIGIN,
    // The session cookie "session=<user>:<sid>" stands for next-auth's encrypted one (request-identity.test.ts).
    authenticate: async (req): Promise<IdentityResult> => {
      const m = /(?:^|; )session=([a-z]+):([a-z0-9]+)/.exec(req.headers.cookie ?? '');
      if (!m) return { ok: false, reason: 'no_session' };
      if (revoked.has(m[2]!)) return { ok: false, reason: 'revoked' };
      const identity: K8sIdentity = { mode: 'token', username: m[1]!, groups: ['devs'], token: `token-of-${m[1]}` };
      return { ok: true, identity, displayName: m[1]!, session: { sid: m[2]!, endsAt: Date.now() / 1000 + 3600 } };
    },
    review: async (identity, check) => {
      reviews.push(`${identity.username} ${check.verb} ${check.group} ${check.resource}/${check.subresource} ${check.namespace}/${check.name}`);
      return { ...check, allowed: identity.username !== 'mallory', ...(identity.username === 'mallory' ? { reason: 'no RBAC policy matched' } : {}) };
    },
    dial: (identity, target, dialOpts) =>
      openSubresourceSocket({ server: `http://127.0.0.1:${upstream.port}`, headers: { authorization: `Bearer ${(identity as { token: string }).token}` } }, target, dialOpts),
    watchSession: (session, onEnd) => watchSessionEnd(session, onEnd, { intervalMs: 20, isRevoked: (sid) => revoked.has(sid) }),
    limits: { ...LIMITS, ...opts.limits },
    pingIntervalMs: opts.pingIntervalMs,
    log: quiet,
  });
  proxies.push(proxy);
  const router = new UpgradeRouter((_, socket) => socket.destroy());
  router.add(CONSOLES_PREFIX, proxy.handle);
  const server = createServer((_, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => router.handle(req, socket, head));
  const port = await listen(server);
  return { port, proxy, upstream, revoked, reviews };
}

interface Browser {
  ws: WebSocket;
  received: Buffer[];
  opened: Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
  refused: Promise<{ status: number; body: string }>;
}

/** A browser-like client: Origin and cookie as the portal's page would send them, unless told otherwise. */
function browser(port: number, path: string, o: { cookie?: string; origin?: string | null; protocols?: string[]; host?: string; autoPong?: boolean } = {}): Browser {
  const headers: Record<string, string> = {};
  if (o.cookie !== '') headers.cookie = o.cookie ?? 'session=alice:sa';
  if (o.host) headers.host = o.host;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, o.protocols ?? [CONSOLE_SUBPROTOCOL], {
    headers,
    ...(o.origin === null ? {} : { origin: o.origin ?? ORIGIN }),
    autoPong: o.autoPong ?? true,
  });
  ws.binaryType = 'nodebuffer';
  clients.push(ws);
  const received: Buffer[] = [];
  ws.on('message', (d: RawData) => received.push(Buffer.from(d as Buffer)));
  ws.on('error', quiet);
  let refusedResolve: (v: { status: number; body: string }) => void = () => undefined;
  const refused = new Promise<{ status: number; body: string }>((r) => (refusedResolve = r));
  ws.on('unexpected-response', (req, res) => {
    let body = '';
    res.on('data', (d: Buffer) => (body += d.toString()));
    res.on('end', () => {
      refusedResolve({ status: res.statusCode ?? 0, body });
      void req;
      ws.terminate(); // a refused handshake: the client gives up (error, then close)
    });
  });
  return {
    ws,
    received,
    opened: new Promise((r) => {
      ws.once('open', () => r(true));
      ws.once('close', () => r(false));
    }),
    closed: new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() }))),
    refused,
  };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const bytesOf = (bufs: Buffer[]) => Buffer.concat(bufs);
const SERIAL = consolePath('serial', 'team-a', 'vm-1');

describe('console proxy: refusals before any upgrade', () => {
  const refusedWith = async (p: Awaited<ReturnType<typeof portal>>, b: Browser, status: number, code: string) => {
    const r = await b.refused;
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code } });
    expect(await b.opened).toBe(false);
    expect(p.upstream.requests).toEqual([]);
    return JSON.parse(r.body) as { error: { message: string } };
  };

  it('refuses an upgrade without a session (401)', async () => {
    const p = await portal();
    await refusedWith(p, browser(p.port, SERIAL, { cookie: '' }), 401, 'unauthenticated');
    expect(p.reviews).toEqual([]);
  });

  it('refuses a signed-out session (401)', async () => {
    const p = await portal();
    p.revoked.add('sa');
    await refusedWith(p, browser(p.port, SERIAL), 401, 'unauthenticated');
  });

  it('refuses a foreign Origin, a missing one, and one matching a forged Host (403)', async () => {
    const p = await portal();
    await refusedWith(p, browser(p.port, SERIAL, { origin: 'https://evil.example' }), 403, 'csrf');
    await refusedWith(p, browser(p.port, SERIAL, { origin: null }), 403, 'csrf');
    // A DNS-rebinding page: Host and Origin agree with each other, not with the configured public URL.
    await refusedWith(p, browser(p.port, SERIAL, { host: 'evil.example', origin: 'http://evil.example' }), 403, 'csrf');
    await refusedWith(p, browser(p.port, SERIAL, { host: `127.0.0.1:${p.port}`, origin: `http://127.0.0.1:${p.port}` }), 403, 'csrf');
    expect(p.reviews).toEqual([]);
  });

  it('refuses a user the access review denies (403), after asking for exactly the console subresource', async () => {
    const p = await portal();
    const body = await refusedWith(p, browser(p.port, SERIAL, { cookie: 'session=mallory:sm' }), 403, 'forbidden');
    expect(body.error.message).toMatch(/virtualmachineinstances\/console "vm-1" in namespace "team-a"/);
    expect(p.reviews).toEqual(['mallory get subresources.kubevirt.io virtualmachineinstances/console team-a/vm-1']);
    await refusedWith(p, browser(p.port, consolePath('vnc', 'team-a', 'vm-1'), { cookie: 'session=mallory:sm' }), 403, 'forbidden');
    expect(p.reviews[1]).toBe('mallory get subresources.kubevirt.io virtualmachineinstances/vnc team-a/vm-1');
  });

  it('refuses bad names and queries (400), unknown consoles (404), and a handshake without plain.kubevirt.io (400)', async () => {
    const p = await portal();
    await refusedWith(p, browser(p.port, '/api/consoles/Team_A/vm-1/serial'), 400, 'bad_request');
    await refusedWith(p, browser(p.port, '/api/consoles/team-a/..%2Fx/serial'), 400, 'bad_request');
    await refusedWith(p, browser(p.port, `${SERIAL}?preserveSession=true`), 400, 'bad_request');
    await refusedWith(p, browser(p.port, '/api/consoles/team-a/vm-1/vnc?preserveSession=1'), 400, 'bad_request');
    await refusedWith(p, browser(p.port, '/api/consoles/team-a/vm-1/ssh'), 404, 'not_found');
    await refusedWith(p, browser(p.port, SERIAL, { protocols: ['base64.channel.k8s.io'] }), 400, 'bad_request');
    expect(p.reviews).toEqual([]);
  });

  it('closes an upgrade on an unknown path at once', async () => {
    const p = await portal();
    for (const path of ['/api/consoles/team-a/vm-1/ssh', '/somewhere/else']) {
      const started = Date.now();
      const answer = await new Promise<{ text: string; closed: boolean }>((resolve) => {
        const s = netConnect(p.port, '127.0.0.1');
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.on('close', () => resolve({ text, closed: true }));
        s.write(
          `GET ${path} HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nCookie: session=alice:sa\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${CONSOLE_SUBPROTOCOL}\r\n\r\n`,
        );
        setTimeout(() => resolve({ text, closed: false }), 2000);
      });
      expect(answer.closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(answer.text).toMatch(/^HTTP\/1\.1 404 /);
    }
    expect(p.upstream.requests).toEqual([]);
  });
});

describe('console proxy: the console', () => {
  it('dials KubeVirt as the user, and carries the bytes both ways exactly', async () => {
    const p = await portal();
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    expect(await b.opened).toBe(true);
    expect(b.ws.protocol).toBe(CONSOLE_SUBPROTOCOL);
    const u = await up;
    expect(u.url).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm-1/console');
    expect(u.headers.authorization).toBe('Bearer token-of-alice');
    expect(u.headers['sec-websocket-protocol']).toBe(CONSOLE_SUBPROTOCOL);
    // Nothing of the browser's request travels upstream.
    expect(u.headers.cookie).toBeUndefined();
    expect(u.headers.origin).toBeUndefined();

    const typed = Buffer.from([0x00, 0x03, 0x1b, 0x5b, 0x41, 0x0d, 0xff, 0xfe, 0x80]);
    b.ws.send('a text frame is not the guest’s bytes');
    b.ws.send(typed, { binary: true });
    await until(() => u.received.length === 1);
    expect(bytesOf(u.received)).toEqual(typed);

    const output = Buffer.from([...Buffer.from('login: '), 0xc3, 0x28, 0x00, 0x07, 0xe2, 0x82]);
    u.ws.send(output, { binary: true });
    u.ws.send(Buffer.from([0xac, 0x0a]), { binary: true });
    await until(() => b.received.length === 2);
    expect(bytesOf(b.received)).toEqual(Buffer.concat([output, Buffer.from([0xac, 0x0a])]));
    expect(p.proxy.connections()).toMatchObject([{ user: 'alice', kind: 'serial', namespace: 'team-a', name: 'vm-1' }]);
  });

  it('counts the open consoles by kind in portal_console_sessions_open, and not a refused one', async () => {
    const open = (kind: string) => sampleValue('portal_console_sessions_open', { kind });
    const [serial0, vnc0] = [await open('serial'), await open('vnc')];
    const p = await portal();
    const serial = browser(p.port, SERIAL);
    const vnc = browser(p.port, consolePath('vnc', 'team-a', 'vm-1'));
    expect(await serial.opened).toBe(true);
    expect(await vnc.opened).toBe(true);
    await until(() => p.proxy.connections().length === 2);
    expect([await open('serial'), await open('vnc')]).toEqual([serial0 + 1, vnc0 + 1]);
    const stopped = browser(p.port, consolePath('serial', 'team-a', 'stopped'));
    await stopped.closed;
    expect(await open('serial')).toBe(serial0 + 1);
    serial.ws.close(1000);
    await until(() => p.proxy.connections().length === 1);
    expect([await open('serial'), await open('vnc')]).toEqual([serial0, vnc0 + 1]);
    vnc.ws.close(1000);
    await until(() => p.proxy.connections().length === 0);
    expect(await open('vnc')).toBe(vnc0);
  });

  it('loses nothing a VNC server says the moment the stream is up', async () => {
    const p = await portal();
    for (let i = 0; i < 5; i++) {
      const b = browser(p.port, consolePath('vnc', 'team-a', 'banner'));
      await until(() => b.received.length > 0);
      expect(bytesOf(b.received).toString()).toBe('RFB 003.008\n');
      b.ws.close();
      await b.closed;
    }
  });

  it('passes preserveSession on for vnc, and KubeVirt’s refusal back as the close reason', async () => {
    const p = await portal();
    const up = p.upstream.next();
    const ok = browser(p.port, consolePath('vnc', 'team-a', 'vm-1', { preserveSession: false }));
    expect(await ok.opened).toBe(true);
    expect((await up).url).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm-1/vnc?preserveSession=false');
    const busy = browser(p.port, consolePath('vnc', 'team-a', 'busy', { preserveSession: true }));
    expect(await busy.closed).toEqual({ code: ConsoleClose.REFUSED_CONFLICT, reason: 'Active VNC connection. Request denied.' });
  });

  it('closes with KubeVirt’s words when the VMI is not running', async () => {
    const p = await portal();
    const b = browser(p.port, consolePath('serial', 'team-a', 'stopped'));
    expect(await b.closed).toEqual({ code: ConsoleClose.REFUSED_BAD_REQUEST, reason: 'VMI is not running' });
    expect(p.proxy.connections()).toEqual([]);
  });

  it('closes the browser side when KubeVirt ends the stream, with the reason', async () => {
    const p = await portal();
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    await b.opened;
    (await up).ws.terminate(); // as virt-handler does when the VMI migrates away
    expect(await b.closed).toEqual({ code: ConsoleClose.UPSTREAM_CLOSED, reason: 'The VM’s console closed.' });
    await until(() => p.proxy.connections().length === 0);
  });

  it('closes the upstream side when the browser leaves', async () => {
    const p = await portal();
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    await b.opened;
    const u = await up;
    b.ws.close(1000);
    expect((await u.closed).code).toBe(1000);
    await until(() => p.proxy.connections().length === 0);
  });

  it('closes a frame larger than the limit (1009) and the upstream side with it', async () => {
    const p = await portal({ limits: { maxFrameBytes: 64 * 1024 } });
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    await b.opened;
    const u = await up;
    b.ws.send(Buffer.alloc(65 * 1024), { binary: true });
    expect((await b.closed).code).toBe(1009);
    await u.closed;
    expect(u.received).toEqual([]);
  });

  it('holds a fast VM back while the browser reads slowly: the buffered bytes stay bounded, and nothing is lost', async () => {
    const bufferBytes = 256 * 1024;
    const p = await portal({ limits: { bufferBytes } });
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    await b.opened;
    const u = await up;
    b.ws.pause(); // the browser stops reading

    const TOTAL = 64 * 1024 * 1024;
    const CHUNK = 64 * 1024;
    let sent = 0;
    let last = -1;
    let stalledSince = Date.now();
    const pump = () => {
      while (sent < TOTAL && u.ws.bufferedAmount < 2 * 1024 * 1024) {
        const n = sent / CHUNK;
        u.ws.send(Buffer.alloc(CHUNK, n % 251), { binary: true });
        sent += CHUNK;
      }
    };
    const timer = setInterval(() => {
      pump();
      if (sent !== last) {
        last = sent;
        stalledSince = Date.now();
      }
    }, 5);
    try {
      // The VM side cannot send any more: the proxy stopped reading it.
      await until(() => Date.now() - stalledSince > 400, 20_000);
      expect(sent).toBeLessThan(TOTAL);
      const [c] = p.proxy.connections();
      expect(c!.toBrowser.pauses).toBeGreaterThan(0);
      // Bounded by the high-water mark plus what was already read when reading stopped, far below what was offered.
      expect(c!.toBrowser.peakBuffered).toBeLessThan(bufferBytes + 512 * 1024);
      expect(c!.toBrowser.buffered).toBeLessThan(bufferBytes + 512 * 1024);
      expect(c!.toBrowser.bytes).toBeLessThan(sent);

      b.ws.resume(); // the browser catches up: everything arrives, in order
      await until(() => sent === TOTAL && b.received.reduce((n, x) => n + x.length, 0) === TOTAL, 30_000);
    } finally {
      clearInterval(timer);
    }
    const all = bytesOf(b.received);
    for (let i = 0; i < TOTAL / CHUNK; i++) expect(all[i * CHUNK]).toBe(i % 251);
    expect(p.proxy.connections()[0]!.toBrowser.peakBuffered).toBeLessThan(bufferBytes + 512 * 1024);
  }, 60_000);

  it('refuses the N+1th console of a user, and past the total, with a clear reason and nothing dialled', async () => {
    const p = await portal({ limits: { perUser: 2, total: 3 } });
    const a1 = browser(p.port, consolePath('serial', 'team-a', 'vm-1'));
    const a2 = browser(p.port, consolePath('serial', 'team-a', 'vm-2'));
    expect(await a1.opened).toBe(true);
    expect(await a2.opened).toBe(true);
    const a3 = browser(p.port, consolePath('serial', 'team-a', 'vm-3'));
    const refused = await a3.closed;
    expect(refused.code).toBe(ConsoleClose.TOO_MANY);
    expect(refused.reason).toMatch(/Too many consoles are open for your account \(at most 2\)/);
    expect(p.upstream.requests).toHaveLength(2);

    expect(await browser(p.port, consolePath('serial', 'team-a', 'vm-4'), { cookie: 'session=bob:sb' }).opened).toBe(true);
    const carol = await browser(p.port, consolePath('serial', 'team-a', 'vm-5'), { cookie: 'session=carol:sc' }).closed;
    expect(carol.code).toBe(ConsoleClose.TOO_MANY);
    expect(carol.reason).toMatch(/portal has too many consoles/);
    expect(p.upstream.requests).toHaveLength(3);

    // A closed console gives its slot back.
    a1.ws.close();
    await until(() => p.proxy.connections().length === 2);
    expect(await browser(p.port, consolePath('serial', 'team-a', 'vm-6')).opened).toBe(true);
  });

  it('ends the console when the session ends (sign-out)', async () => {
    const p = await portal();
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL);
    await b.opened;
    const u = await up;
    p.revoked.add('sa');
    expect(await b.closed).toEqual({ code: ConsoleClose.SESSION_ENDED, reason: 'You signed out.' });
    await u.closed;
    await until(() => p.proxy.connections().length === 0);
  });

  it('tells the older console to the same VM it was replaced, not that the VM went away', async () => {
    const p = await portal();
    const first = browser(p.port, SERIAL);
    await first.opened;
    const second = browser(p.port, SERIAL, { cookie: 'session=alice:sa2' });
    expect(await second.opened).toBe(true);
    expect((await first.closed).code).toBe(ConsoleClose.REPLACED);
    expect(p.proxy.connections()).toHaveLength(1);
    // Another VM's console is not touched.
    const other = browser(p.port, consolePath('serial', 'team-a', 'vm-2'));
    expect(await other.opened).toBe(true);
    expect(p.proxy.connections()).toHaveLength(2);
  });

  it('gives up an upstream that stops answering pings, and tells the browser', async () => {
    const p = await portal({ pingIntervalMs: 40, autoPong: false });
    const b = browser(p.port, SERIAL);
    await b.opened;
    const closed = await b.closed;
    expect(closed.code).toBe(ConsoleClose.UNRESPONSIVE);
    expect(closed.reason).toMatch(/stopped answering/);
  });

  it('gives up a browser that stops answering pings, and closes the upstream side', async () => {
    const p = await portal({ pingIntervalMs: 40 });
    const up = p.upstream.next();
    const b = browser(p.port, SERIAL, { autoPong: false });
    await b.opened;
    await (await up).closed;
    await until(() => p.proxy.connections().length === 0);
  });

  it('keeps pinging quiet sides that answer', async () => {
    const p = await portal({ pingIntervalMs: 30 });
    const b = browser(p.port, SERIAL);
    await b.opened;
    await new Promise((r) => setTimeout(r, 300));
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    expect(p.proxy.connections()).toHaveLength(1);
  });
  it('takes a pong that came in while the process stalled past a round as an answer', async () => {
    const p = await portal({ pingIntervalMs: 30 });
    const b = browser(p.port, SERIAL);
    await b.opened;
    // The browser answers the first ping at once (ws sends the pong before it tells its listeners), then the process
    // is busy for three rounds: on waking, the overdue round runs before the pong waiting in the socket is read.
    await new Promise<void>((resolve) =>
      b.ws.once('ping', () => {
        const end = Date.now() + 100;
        while (Date.now() < end);
        resolve();
      }),
    );
    let pings = 0;
    b.ws.on('ping', () => pings++);
    await until(() => pings >= 3 || b.ws.readyState !== WebSocket.OPEN);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    expect(p.proxy.connections()).toHaveLength(1);
  });
});
