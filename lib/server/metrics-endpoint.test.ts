import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsServer, serveMetrics } from './metrics-endpoint';
import { parseExposition } from '../metrics/exposition';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('/metrics', () => {
  it('answers GET with the exposition and HEAD with its head only', async () => {
    const base = await listen(createServer(serveMetrics));
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await res.text(), new Set(['portal_console_sessions_open', 'process_resident_memory_bytes']));
    expect(samples.map((s) => s.name)).toContain('process_resident_memory_bytes');
    expect(samples.filter((s) => s.name === 'portal_console_sessions_open')).toHaveLength(2);
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses other methods in the error shape', async () => {
    const base = await listen(createServer(serveMetrics));
    const res = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('has a listener of its own (PORTAL_METRICS_PORT) that answers /metrics and nothing else', async () => {
    const base = await listen(metricsServer());
    expect((await fetch(`${base}/metrics?x=1`)).status).toBe(200);
    for (const path of ['/', '/healthz', '/vms', '/metrics/x', '/api/list']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
