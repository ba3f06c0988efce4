// The routes and websockets end to end, in process: a plain HTTP server feeding virtApiHandlers, a fake API server,
// and unix-socket servers standing in for QEMU's serial and VNC sockets.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KubeClient } from '../kube/client.ts';
import { connectUnix } from '../handler/domain.ts';
import { parseGoBool, preserveSessionOf, selectProtocol } from './consoles.ts';
import type { DomainLike } from './context.ts';
import { FakeKube } from './fake-kube.test-helper.ts';
import type { VMI } from '../kubevirt/types.ts';
import { virtApiHandlers } from './routes.ts';
import type { Caller } from './server.ts';

const caller: Caller = { user: 'alice', groups: ['system:authenticated'], extra: {} };
const base = '/apis/subresources.kubevirt.io/v1/namespaces/ns';
const vmiPath = '/apis/kubevirt.io/v1/namespaces/ns/virtualmachineinstances/v';

/**
 * A stand-in for one of QEMU's unix sockets: one client at a time (a second one waits until the first is gone, as
 * QEMU's chardev server does), echoes what it gets, prefixed, and records the order of clients.
 */
class FakeQemuSocket {
  readonly server: net.Server;
  readonly events: string[] = [];
  readonly clients = new Set<net.Socket>();
  private readonly waiting: net.Socket[] = [];
  private n = 0;
  constructor(readonly path: string) {
    this.server = net.createServer((s) => {
      s.on('error', () => undefined);
      if (this.clients.size > 0) this.waiting.push(s);
      else this.serve(s);
    });
  }
  private serve(s: net.Socket) {
    if (s.destroyed) {
      const next = this.waiting.shift();
      if (next) this.serve(next);
      return;
    }
    const id = ++this.n;
    this.clients.add(s);
    this.events.push(`open ${id}`);
    s.on('data', (d) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
    s.on('close', () => {
      this.clients.delete(s);
      this.events.push(`close ${id}`);
      const next = this.waiting.shift();
      if (next) this.serve(next);
    });
  }
  listen() {
    return new Promise<void>((r) => this.server.listen(this.path, () => r()));
  }
  close() {
    for (const c of this.clients) c.destroy();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

let dir: string;
let serial: FakeQemuSocket;
let vnc: FakeQemuSocket;
let server: http.Server;
let port: number;
let kube: FakeKube;
let domain: DomainLike | undefined;
let handlers: ReturnType<typeof virtApiHandlers>;
/** Stand-ins for the guest's ports behind the domain's forwards: they echo, prefixed. */
let tcpEcho: net.Server;
let udpEcho: dgram.Socket;
const forwarded: string[] = [];

const setVmi = (v: VMI | undefined) => (v ? kube.objects.set(vmiPath, v) : kube.objects.delete(vmiPath));
const vmi = (phase: string, spec: Partial<VMI['spec']> = {}): VMI =>
  ({
    metadata: { name: 'v', namespace: 'ns', uid: 'uid-1' },
    spec,
    status: { phase },
  }) as VMI;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virt-api-routes-'));
  serial = new FakeQemuSocket(join(dir, 'serial.sock'));
  vnc = new FakeQemuSocket(join(dir, 'vnc.sock'));
  await serial.listen();
  await vnc.listen();
  tcpEcho = net.createServer((c) => c.on('data', (d) => c.write(Buffer.concat([Buffer.from('tcp:'), d]))));
  await new Promise<void>((r) => tcpEcho.listen(0, '127.0.0.1', () => r()));
  udpEcho = dgram.createSocket('udp4');
  udpEcho.on('message', (m, from) => udpEcho.send(Buffer.concat([Buffer.from('udp:'), m]), from.port, from.address));
  await new Promise<void>((r) => udpEcho.bind(0, '127.0.0.1', () => r()));
  kube = new FakeKube();
  handlers = virtApiHandlers(kube as unknown as KubeClient, { domains: () => domain });
  server = http.createServer((req, res) => {
    void (async () => {
      for (const r of handlers.routes) if (await r(req, res, caller)) return;
      res.writeHead(404);
      res.end('no route');
    })();
  });
  server.on('upgrade', (req, socket, head) => {
    void (async () => {
      for (const u of handlers.upgrades) if (await u(req, socket, head, caller)) return;
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await handlers.closeStreams();
  await new Promise<void>((r) => server.close(() => r()));
  await serial.close();
  await vnc.close();
  await new Promise<void>((r) => tcpEcho.close(() => r()));
  udpEcho.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await handlers.closeStreams();
  kube.review = () => ({ status: { allowed: true } });
  kube.calls.length = 0;
});

function useDomain() {
  domain = {
    dir,
    qmp: { execute: async () => ({}) },
    agent: { call: async () => ({}) },
    connectSerial: () => connectUnix(serial.path),
    connectVnc: () => connectUnix(vnc.path),
    forward: async (protocol, guestPort) => {
      forwarded.push(`${protocol}/${guestPort}`);
      return protocol === 'udp' ? (udpEcho.address() as net.AddressInfo).port : (tcpEcho.address() as net.AddressInfo).port;
    },
  };
}

function request(method: string, path: string, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a websocket; resolves with it once open, or with the refused HTTP answer. */
function openWs(path: string, protocols: string[] = ['plain.kubevirt.io']) {
  return new Promise<{ ws?: WebSocket; status?: number; body?: string }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    ws.on('error', () => undefined);
  });
}

const nextMessage = (ws: WebSocket) =>
  new Promise<{ data: Buffer; isBinary: boolean }>((resolve) => ws.once('message', (data, isBinary) => resolve({ data: data as Buffer, isBinary })));
const closed = (ws: WebSocket) =>
  new Promise<number>((resolve) => (ws.readyState === ws.CLOSED ? resolve(-1) : ws.once('close', (code) => resolve(code))));
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('HTTP routes', () => {
  it('authorizes first: a denial is a plain-text 401 with the reason', async () => {
    kube.review = () => ({ status: { allowed: false, reason: 'RBAC: no' } });
    const r = await request('PUT', `${base}/virtualmachines/vm/start`);
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe('RBAC: no');
    const sar = kube.callsOf('POST')[0]?.body as { spec: { resourceAttributes: object } };
    expect(sar.spec.resourceAttributes).toEqual({
      namespace: 'ns',
      verb: 'update',
      group: 'subresources.kubevirt.io',
      version: 'v1',
      resource: 'virtualmachines',
      subresource: 'start',
      name: 'vm',
    });
  });

  it('leaves unknown subresources to other handlers', async () => {
    const r = await request('PUT', `${base}/virtualmachines/vm/memorydump`);
    expect(r).toMatchObject({ status: 404, body: 'no route' });
    expect(kube.calls).toEqual([]);
    expect((await request('GET', `${base}/virtualmachines/vm/constructor`)).status).toBe(404);
  });

  it('answers 405 for a known subresource with the wrong method', async () => {
    const r = await request('GET', `${base}/virtualmachines/vm/start`);
    expect(r).toMatchObject({ status: 405, body: '405: Method Not Allowed' });
  });

  it('serves start with a JSON Status on error', async () => {
    const r = await request('PUT', `${base}/virtualmachines/vm/start`, '');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 404, message: 'virtualmachine.kubevirt.io "vm" not found' });
  });

  it('serves the guest-agent GETs with plain-text errors', async () => {
    setVmi(undefined);
    const r = await request('GET', `${base}/virtualmachineinstances/v/guestosinfo`);
    expect(r).toMatchObject({ status: 500, body: 'virtualmachineinstance.kubevirt.io "v" not found' });
  });

  it('a console GET without an upgrade is a 400 once the VMI checks pass', async () => {
    useDomain();
    setVmi(vmi('Running'));
    expect(await request('GET', `${base}/virtualmachineinstances/v/console`)).toMatchObject({ status: 400, body: 'Bad Request\n' });
    setVmi(vmi('Pending'));
    expect((await request('GET', `${base}/virtualmachineinstances/v/console`)).status).toBe(400);
  });
});

describe('console / vnc websockets', () => {
  it('accepts only plain.kubevirt.io', () => {
    expect(selectProtocol(new Set(['base64.channel.k8s.io', 'plain.kubevirt.io']))).toBe('plain.kubevirt.io');
    expect(selectProtocol(new Set(['base64.channel.k8s.io']))).toBe(false);
  });

  it('refuses before upgrading, with a JSON Status', async () => {
    useDomain();
    setVmi(vmi('Running', { domain: { devices: { autoattachSerialConsole: false } } }));
    expect(await openWs(`${base}/virtualmachineinstances/v/console`)).toMatchObject({ status: 400 });
    setVmi(vmi('Failed'));
    const failed = await openWs(`${base}/virtualmachineinstances/v/console`);
    expect(failed.status).toBe(409);
    expect(JSON.parse(failed.body!)).toMatchObject({
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "v": VMI is in failed status',
    });
    setVmi(vmi('Scheduled'));
    const notRunning = await openWs(`${base}/virtualmachineinstances/v/vnc`);
    expect(notRunning.status).toBe(400);
    expect(JSON.parse(notRunning.body!)).toMatchObject({ message: 'VMI is not running', reason: 'BadRequest' });
    setVmi(vmi('Running', { domain: { devices: { autoattachGraphicsDevice: false } } }));
    expect(JSON.parse((await openWs(`${base}/virtualmachineinstances/v/vnc`)).body!)).toMatchObject({ message: 'No graphics devices are present.' });
    setVmi(undefined);
    expect(await openWs(`${base}/virtualmachineinstances/v/vnc`)).toMatchObject({ status: 404 });
  });

  it('refuses with a plain 401 when not authorized', async () => {
    kube.review = () => ({ status: { allowed: false, reason: 'nope' } });
    expect(await openWs(`${base}/virtualmachineinstances/v/console`)).toEqual({ status: 401, body: 'nope' });
  });

  it('pipes bytes in binary frames and drops text frames', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const { ws } = await openWs(`${base}/virtualmachineinstances/v/console`);
    expect(ws?.protocol).toBe('plain.kubevirt.io');
    ws!.send('ignored text');
    ws!.send(Buffer.from('hello'), { binary: true });
    const m = await nextMessage(ws!);
    expect(m.isBinary).toBe(true);
    expect(m.data.toString()).toBe('echo:hello');
    ws!.close();
    await closed(ws!);
    await until(() => serial.clients.size === 0);
  });

  it('upgrades without a subprotocol header when plain.kubevirt.io is not offered', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: `${base}/virtualmachineinstances/v/vnc`,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
          'sec-websocket-protocol': 'base64.channel.k8s.io',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.headers);
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(headers['sec-websocket-protocol']).toBeUndefined();
    await until(() => vnc.clients.size === 0);
  });

  it('a new connection ends the previous one of the same kind first', async () => {
    useDomain();
    setVmi(vmi('Running'));
    serial.events.length = 0;
    const a = (await openWs(`${base}/virtualmachineinstances/v/console`)).ws!;
    await until(() => serial.events.length === 1);
    const v = (await openWs(`${base}/virtualmachineinstances/v/vnc`)).ws!;
    const aClosed = closed(a);
    const b = (await openWs(`${base}/virtualmachineinstances/v/console`)).ws!;
    expect(await aClosed).toBe(1006); // torn down without a close handshake, like Go closing the connection
    b.send(Buffer.from('x'));
    expect((await nextMessage(b)).data.toString()).toBe('echo:x');
    const first = Number(serial.events[0]?.split(' ')[1]);
    expect(serial.events).toEqual([`open ${first}`, `close ${first}`, `open ${first + 1}`]);
    // the vnc stream was not affected
    v.send(Buffer.from('y'));
    expect((await nextMessage(v)).data.toString()).toBe('echo:y');
    b.close();
    v.close();
    await Promise.all([closed(b), closed(v)]);
  });

  it('closes the websocket when QEMU closes its socket', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const { ws } = await openWs(`${base}/virtualmachineinstances/v/console`);
    await until(() => serial.clients.size === 1);
    const c = closed(ws!);
    for (const s of serial.clients) s.destroy();
    expect(await c).toBe(1006);
    await until(() => handlers.closeStreams !== undefined && serial.clients.size === 0);
  });

  it('a Running VMI without a domain is a 500 before upgrading', async () => {
    domain = undefined;
    setVmi(vmi('Running'));
    const r = await openWs(`${base}/virtualmachineinstances/v/console`);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body!)).toMatchObject({ reason: 'InternalError' });
  });
});

describe('vnc preserveSession (KubeVirt 1.6.3+)', () => {
  const vncPath = `${base}/virtualmachineinstances/v/vnc`;
  const refusal = "Internal error occurred: Can't connect to websocket (503): websocket: bad handshake: application info: Active VNC connection. Request denied.";

  it('reads the parameter as Go\'s strconv.ParseBool, an unparsable value being false', () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(v), v).toBe(true);
    for (const v of ['0', 'f', 'false', 'FALSE', '', 'yes', 'on', ' true', null, undefined]) expect(parseGoBool(v), String(v)).toBe(false);
    expect(preserveSessionOf('/x/vnc?preserveSession=true')).toBe(true);
    expect(preserveSessionOf('/x/vnc?preserveSession=1&preserveSession=false')).toBe(true); // QueryParameter: the first value
    expect(preserveSessionOf('/x/vnc')).toBe(false);
  });

  it('refuses a second viewer while one is connected, before upgrading, with virt-api\'s 500 Status', async () => {
    useDomain();
    setVmi(vmi('Running'));
    vnc.events.length = 0;
    const first = (await openWs(vncPath)).ws!;
    await until(() => vnc.clients.size === 1);
    const second = await openWs(`${vncPath}?preserveSession=true`);
    expect(second.status).toBe(500);
    expect(JSON.parse(second.body!)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: refusal,
      reason: 'InternalError',
      details: { causes: [{ message: refusal.replace('Internal error occurred: ', '') }] },
      code: 500,
    });
    // the first viewer is untouched and QEMU saw no second client
    first.send(Buffer.from('still'));
    expect((await nextMessage(first)).data.toString()).toBe('echo:still');
    expect(vnc.events).toHaveLength(1);
    // a GET without an upgrade dials virt-handler the same way, so it is refused the same way
    expect(JSON.parse((await request('GET', `${vncPath}?preserveSession=true`)).body).message).toBe(refusal);
    first.close();
    await closed(first);
  });

  it('connects with preserveSession=true when no viewer is connected, also once the holder has gone', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const a = (await openWs(`${vncPath}?preserveSession=true`)).ws!;
    expect(a.protocol).toBe('plain.kubevirt.io');
    a.send(Buffer.from('a'));
    expect((await nextMessage(a)).data.toString()).toBe('echo:a');
    a.close();
    await closed(a);
    await until(() => vnc.clients.size === 0);
    const b = (await openWs(`${vncPath}?preserveSession=true`)).ws!;
    b.send(Buffer.from('b'));
    expect((await nextMessage(b)).data.toString()).toBe('echo:b');
    b.close();
    await closed(b);
  });

  it('without it (or with false) drops the old viewer, whatever the old one asked for, and connects the new one', async () => {
    useDomain();
    setVmi(vmi('Running'));
    for (const query of ['', '?preserveSession=false', '?preserveSession=nonsense']) {
      const a = (await openWs(`${vncPath}?preserveSession=true`)).ws!;
      await until(() => vnc.clients.size === 1);
      const aClosed = closed(a);
      const b = (await openWs(`${vncPath}${query}`)).ws!;
      expect(await aClosed, query).toBe(1006);
      b.send(Buffer.from('x'));
      expect((await nextMessage(b)).data.toString()).toBe('echo:x');
      b.close();
      await closed(b);
      await until(() => vnc.clients.size === 0);
    }
  });

  it('only concerns vnc: the serial console neither refuses nor is refused', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const v = (await openWs(vncPath)).ws!;
    const c1 = (await openWs(`${base}/virtualmachineinstances/v/console?preserveSession=true`)).ws!;
    expect(c1).toBeDefined();
    const c1Closed = closed(c1);
    const c2 = (await openWs(`${base}/virtualmachineinstances/v/console?preserveSession=true`)).ws!;
    expect(await c1Closed).toBe(1006);
    for (const w of [v, c2]) {
      w.close();
      await closed(w);
    }
  });

  it('vnc/screenshot gives way to a connected viewer', async () => {
    useDomain();
    setVmi(vmi('Running'));
    const v = (await openWs(vncPath)).ws!;
    await until(() => vnc.clients.size === 1);
    const r = await request('GET', `${vncPath}/screenshot`);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toMatchObject({ reason: 'InternalError', message: refusal });
    v.close();
    await closed(v);
    await until(() => vnc.clients.size === 0);
    // with no viewer it is taken (here the fake QMP writes no file, so it fails differently)
    expect(JSON.parse((await request('GET', `${vncPath}/screenshot`)).body).message).not.toBe(refusal);
  });
});

describe('portforward websockets', () => {
  const running = (name = 'v') => ({
    ...vmi('Running'),
    metadata: { name, namespace: 'ns', uid: 'uid-1' },
    status: { phase: 'Running', interfaces: [{ name: 'default', ipAddress: '10.244.1.5' }] },
  }) as VMI;
  const vmPath = '/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/v';

  it('pipes TCP on the VMI route, one binary frame per read, and the port defaults to tcp', async () => {
    useDomain();
    setVmi(running());
    forwarded.length = 0;
    const { ws } = await openWs(`${base}/virtualmachineinstances/v/portforward/22`);
    expect(ws?.protocol).toBe('plain.kubevirt.io');
    ws!.send(Buffer.from('SSH-2.0-test'), { binary: true });
    const m = await nextMessage(ws!);
    expect([m.isBinary, m.data.toString()]).toEqual([true, 'tcp:SSH-2.0-test']);
    expect(forwarded).toEqual(['tcp/22']);
    ws!.close();
  });

  it('carries each binary frame as one UDP datagram on the VM route', async () => {
    useDomain();
    setVmi(running());
    kube.objects.set(vmPath, { metadata: { name: 'v', namespace: 'ns' }, status: { created: true } });
    const { ws } = await openWs(`${base}/virtualmachines/v/portforward/53/udp`);
    ws!.send(Buffer.from('one'), { binary: true });
    expect((await nextMessage(ws!)).data.toString()).toBe('udp:one');
    ws!.send(Buffer.from('two'), { binary: true });
    expect((await nextMessage(ws!)).data.toString()).toBe('udp:two');
    ws!.close();
  });

  it('refuses with virt-api\'s Status before upgrading', async () => {
    useDomain();
    kube.objects.set(vmPath, { metadata: { name: 'v', namespace: 'ns' }, status: {} });
    setVmi(running());
    expect(JSON.parse((await openWs(`${base}/virtualmachines/v/portforward/22`)).body!)).toMatchObject({
      code: 409,
      message: 'Operation cannot be fulfilled on virtualmachine.kubevirt.io "v": VMI is not started',
    });
    setVmi({ ...running(), status: { phase: 'Running', conditions: [{ type: 'Paused', status: 'True' }], interfaces: [{ ipAddress: '10.244.1.5' }] } } as VMI);
    expect(JSON.parse((await openWs(`${base}/virtualmachineinstances/v/portforward/22`)).body!)).toMatchObject({
      code: 409,
      message: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "v": VMI is paused',
    });
    setVmi(vmi('Scheduled'));
    expect(JSON.parse((await openWs(`${base}/virtualmachineinstances/v/portforward/22`)).body!)).toMatchObject({ code: 400, message: 'no network interfaces are present' });
    domain = undefined;
    setVmi(running());
    expect(await openWs(`${base}/virtualmachineinstances/v/portforward/22`)).toMatchObject({ status: 500 });
  });

  it('leaves paths that are not port-forward routes to others (404)', async () => {
    useDomain();
    setVmi(running());
    for (const sub of ['portforward', 'portforward/ssh', 'portforward/22/sctp', 'portforward/22/tcp/x']) {
      expect((await openWs(`${base}/virtualmachineinstances/v/${sub}`)).status).toBe(404);
    }
  });
});
