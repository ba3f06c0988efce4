// Serves the identity provider's browser-facing pages from the portal's origin (see lib/auth/idp-browser.ts for
// when and why). A plain reverse proxy for the issuer's path: method, path, query and body pass through; redirects
// that point at the issuer are rewritten to the portal's origin so the browser never leaves it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { type IdpBrowserView, toBrowserUrl, upstreamUrl } from '../auth/idp-browser.ts';
import { countIdpError } from '../metrics/registry.ts';

// Hop-by-hop headers (RFC 9110 §7.6.1) and those that name the portal rather than the provider.
const dropRequest = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'cookie', 'authorization']);
const dropResponse = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'trailer', 'strict-transport-security']);

const TIMEOUT_MS = 15_000;

export function proxyToIdp(view: IdpBrowserView, ca: Buffer | undefined, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(upstreamUrl(view, req.url ?? '/'));
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !dropRequest.has(k)) headers[k] = v;
  headers.host = target.host;
  const upstream = https.request(target, { method: req.method, headers, ca, timeout: TIMEOUT_MS }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !dropResponse.has(k)) out[k] = v;
    if (typeof up.headers.location === 'string') out.location = toBrowserUrl(view, new URL(up.headers.location, target).toString());
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('identity provider timed out')));
  upstream.on('error', () => {
    countIdpError('browser_proxy');
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'idp_unreachable', message: 'The identity provider did not answer.' } }));
  });
  req.pipe(upstream);
}
