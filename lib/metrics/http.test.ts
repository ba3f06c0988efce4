import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_CLOSED, timeRequest } from './http';
import { routeLabel } from './route-label';
import { sampleValue } from './test-samples';

// A real HTTP server timing its requests as server.ts does; each test waits for the server side of its request to
// be over (the response's close, after the observation) before it reads the histogram.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const done: (() => void)[] = [];
  const server = createServer((req, res) => {
    timeRequest(req, res, routeLabel(req.url ?? '/'));
    res.once('close', () => done.shift()?.());
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  /** Resolves once the server has finished with the next request. */
  const finished = () => new Promise<void>((r) => done.push(r));
  return { port, finished };
}

const count = (labels: Record<string, string>) => sampleValue('portal_http_request_duration_seconds_count', labels);

describe('timeRequest', () => {
  it('observes each request under its route pattern, method and status', async () => {
    const { port, finished } = await serve((req, res) => res.writeHead(req.url?.startsWith('/api/') ? 404 : 200).end('ok'));
    const page = { method: 'GET', route: '/vms/[namespace]/[name]', status: '200' };
    const api = { method: 'POST', route: '/api/vms/[namespace]/[name]/snapshots', status: '404' };
    const [pageBefore, apiBefore] = [await count(page), await count(api)];
    for (const [method, path] of [['GET', '/vms/team-a/vm-1'], ['GET', '/vms/team-b/vm-2?tab=disks'], ['POST', '/api/vms/team-a/vm-1/snapshots']] as const) {
      const over = finished();
      await fetch(`http://127.0.0.1:${port}${path}`, { method });
      await over;
    }
    expect(await count(page)).toBe(pageBefore + 2);
    expect(await count(api)).toBe(apiBefore + 1);
    // No series carries a raw path.
    expect(await count({ route: '/vms/team-a/vm-1' })).toBe(0);
  });

  it(`observes a request whose client left before any answer as ${CLIENT_CLOSED}`, async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => (arrived = r));
    const { port, finished } = await serve(() => arrived()); // never answers
    const labels = { method: 'GET', route: '/api/list', status: CLIENT_CLOSED };
    const before = await count(labels);
    const over = finished();
    const req = request({ host: '127.0.0.1', port, path: '/api/list?resource=virtualmachines' });
    req.on('error', () => undefined);
    req.end();
    await arrival;
    req.destroy();
    await over;
    expect(await count(labels)).toBe(before + 1);
  });
});
