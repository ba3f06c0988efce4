import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSettings } from '../settings';
import { oidcDiscovery, refreshTokens } from './oidc-http';
import { sampleValue } from '../metrics/test-samples';

vi.mock('server-only', () => ({}));

const saved = { ...process.env };
const servers: Server[] = [];
afterEach(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetSettings();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

// An identity provider that hangs up on every connection before TLS is done: discovery cannot succeed.
async function brokenIdp(): Promise<string> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/dex`;
}

describe('calls to the identity provider', () => {
  it('count a failed discovery once, as discovery, also when it was a refresh that needed it', async () => {
    for (const k of Object.keys(process.env)) if (/^(OIDC_|K8S_|PORTAL_|NEXTAUTH_|SANDBOX_)/.test(k)) delete process.env[k];
    Object.assign(process.env, { PORTAL_SANDBOX: 'true', OIDC_ISSUER: await brokenIdp() });
    resetSettings();
    const kind = (k: string) => sampleValue('portal_idp_errors_total', { kind: k });
    const [discovery0, refresh0] = [await kind('discovery'), await kind('token_refresh')];
    await expect(oidcDiscovery()).rejects.toThrow();
    expect(await kind('discovery')).toBe(discovery0 + 1);
    await expect(refreshTokens('a-refresh-token')).rejects.toThrow();
    expect(await kind('discovery')).toBe(discovery0 + 2);
    expect(await kind('token_refresh')).toBe(refresh0);
  });
});
