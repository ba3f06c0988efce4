import { connect } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpgradeRouter } from './upgrade-router';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function listen(router: UpgradeRouter): Promise<number> {
  server = createServer((_, res) => res.end());
  server.on('upgrade', (req, socket, head) => router.handle(req, socket, head));
  return new Promise((r) => server!.listen(0, '127.0.0.1', () => r((server!.address() as AddressInfo).port)));
}

/** Sends an upgrade request; resolves with what came back and whether the server closed the connection. */
function upgrade(port: number, path: string): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const s = connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (d) => (text += d.toString()));
    s.on('close', () => resolve({ text, closed: true, ms: Date.now() - started }));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    setTimeout(() => {
      resolve({ text, closed: false, ms: Date.now() - started });
      s.destroy();
    }, 2000);
  });
}

describe('UpgradeRouter', () => {
  it('routes by prefix, hands /_next/ to Next, and closes any other upgrade at once with 404', async () => {
    const seen: string[] = [];
    const router = new UpgradeRouter((req, socket) => {
      seen.push(`next ${req.url}`);
      socket.destroy();
    });
    router.add('/api/consoles', (req, socket) => {
      seen.push(`consoles ${req.url}`);
      socket.destroy();
    });
    const port = await listen(router);
    await upgrade(port, '/api/consoles/ns/vm/serial');
    await upgrade(port, '/_next/webpack-hmr?x=1');
    const unknown = await upgrade(port, '/api/consolesX');
    const root = await upgrade(port, '/');
    expect(seen).toEqual(['consoles /api/consoles/ns/vm/serial', 'next /_next/webpack-hmr?x=1']);
    for (const r of [unknown, root]) {
      expect(r.closed).toBe(true);
      expect(r.ms).toBeLessThan(1000);
      expect(r.text).toMatch(/^HTTP\/1\.1 404 /);
      expect(r.text).toMatch(/"code":"not_found"/);
    }
  });
});
