import 'server-only';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { countIdpError } from '../metrics/registry';
import { oidcCa, settings, type OidcSettings } from '../settings';

// Token refresh against the IdP's token endpoint, and its discovery document, with the IdP's CA. next-auth
// (openid-client) handles sign-in; the refresh grant is ours because next-auth v4 has none.

// Only reached when users sign in, which needs an identity provider (lib/settings/oidc.ts).
function provider(): OidcSettings {
  const s = settings().oidc;
  if (!s) throw new Error('no identity provider is configured (OIDC_ISSUER)');
  return s;
}

function call(url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }> {
  const ca = oidcCa(provider());
  return new Promise((resolve, reject) => {
    const r = httpsRequest(url, { method: init.method, headers: init.headers, ca, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(init.body);
  });
}

// The parts of the IdP's discovery document the portal uses itself (next-auth reads its own copy for sign-in).
// Only http(s) endpoints: the end-session URL is where a browser is sent. An unusable one means signing out
// locally only; it must not break the token refresh.
const endpoint = z.url({ protocol: /^https?$/ });
const discoverySchema = z.object({ token_endpoint: endpoint, end_session_endpoint: endpoint.optional().catch(undefined) });
export type OidcDiscovery = z.infer<typeof discoverySchema>;

let discovered: Promise<OidcDiscovery> | undefined;

export function oidcDiscovery(): Promise<OidcDiscovery> {
  discovered ??= call(`${provider().issuer}/.well-known/openid-configuration`, { method: 'GET' })
    .then((r) => {
      if (r.status !== 200) throw new Error(`discovery answered ${r.status}`);
      return discoverySchema.parse(JSON.parse(r.text));
    })
    .catch((err) => {
      discovered = undefined;
      countIdpError('discovery');
      throw err;
    });
  return discovered;
}

export interface RefreshedTokens {
  idToken: string;
  refreshToken?: string;
  expiresAt: number; // epoch seconds
}

export async function refreshTokens(refreshToken: string): Promise<RefreshedTokens> {
  const s = provider();
  // A failed discovery is counted as such, not again as a failed refresh.
  const { token_endpoint } = await oidcDiscovery();
  try {
    return await refreshAt(token_endpoint, s, refreshToken);
  } catch (err) {
    countIdpError('token_refresh');
    throw err;
  }
}

async function refreshAt(token_endpoint: string, s: OidcSettings, refreshToken: string): Promise<RefreshedTokens> {
  const r = await call(token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64'),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  if (r.status !== 200) throw new Error(`refresh refused (${r.status})`);
  const body = JSON.parse(r.text) as { id_token?: string; refresh_token?: string; expires_in?: number };
  if (!body.id_token) throw new Error('refresh returned no id_token');
  return {
    idToken: body.id_token,
    refreshToken: body.refresh_token,
    expiresAt: jwtExp(body.id_token) ?? Math.floor(Date.now() / 1000) + (body.expires_in ?? 300),
  };
}

// The ID token's own expiry (the API server checks that, not the access token's expires_in).
export function jwtExp(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return payload.exp;
  } catch {
    return undefined;
  }
}

export function jwtClaims(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
