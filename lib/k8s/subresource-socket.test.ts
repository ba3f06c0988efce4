import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSubresourceSocket, subresourceSocketUrl } from './subresource-socket';
import { PortalError } from './errors';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

/** An API server that answers every upgrade with the given raw response head and body. */
async function answering(raw: string): Promise<string> {
  const server = createServer();
  server.on('upgrade', (_req, socket) => socket.end(raw));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const target = { namespace: 'team-a', name: 'vm-1', subresource: 'console' as const };
const opts = { maxPayload: 1024, handshakeTimeoutMs: 2000 };

describe('subresourceSocketUrl', () => {
  it('is KubeVirt’s subresource path on the API server, as a websocket URL', () => {
    expect(subresourceSocketUrl('https://k8s.example:6443/', target)).toBe('wss://k8s.example:6443/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm-1/console');
    expect(subresourceSocketUrl('http://127.0.0.1:8080', { ...target, subresource: 'vnc', query: { preserveSession: 'true' } })).toBe(
      'ws://127.0.0.1:8080/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/vm-1/vnc?preserveSession=true',
    );
  });
});

describe('openSubresourceSocket', () => {
  it('maps a refusal before the upgrade through the one error mapper, with KubeVirt’s words', async () => {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'VMI is not running', code: 400 });
    const server = await answering(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    const err = await openSubresourceSocket({ server, headers: {} }, target, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortalError);
    expect(err).toMatchObject({ status: 400, code: 'bad_request', message: 'VMI is not running' });
  });

  it('takes virt-api’s plain-text 401 as a denial of that subresource', async () => {
    const server = await answering('HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\nunknown user');
    const err = await openSubresourceSocket({ server, headers: {} }, target, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });
    expect((err as Error).message).toMatch(/virtualmachineinstances\/console "vm-1" in namespace "team-a": unknown user/);
  });

  it('says the API server could not be reached, without the raw error', async () => {
    const err = await openSubresourceSocket({ server: 'http://127.0.0.1:1', headers: {} }, target, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'api_unreachable' });
  });

  it('gives up a handshake that never completes', async () => {
    const server = createServer();
    server.on('upgrade', (_req, socket) => setTimeout(() => socket.destroy(), 500)); // answers nothing in time
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const err = await openSubresourceSocket({ server: url, headers: {} }, target, { ...opts, handshakeTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, message: 'The console did not answer in time.' });
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await openSubresourceSocket({ server: 'http://127.0.0.1:1', headers: {} }, target, { ...opts, signal: ac.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });
});
