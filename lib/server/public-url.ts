import { z } from 'zod';

// The portal's public URL, the one the browser sees and the identity provider redirects back to. Everything that
// asks "is this request from our own pages?" or "are we served over https?" reads it from here, never from a
// request's Host header: a DNS-rebinding page controls Host and Origin together.
// No 'server-only' marker: server.ts imports this outside Next's bundler.

export interface PublicUrl {
  origin: string; // scheme://host[:port], as browsers serialize an Origin header
  secure: boolean; // https: cookies get Secure/__Host- names, HSTS is sent
  websocketOrigin: string; // ws(s):// of the same host, for connect-src
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'NEXTAUTH_URL must be an http(s) URL' });

export function parsePublicUrl(value: string): PublicUrl {
  const url = new URL(httpUrl.parse(value.trim()));
  const secure = url.protocol === 'https:';
  return { origin: url.origin, secure, websocketOrigin: `${secure ? 'wss' : 'ws'}://${url.host}` };
}

// server.ts sets NEXTAUTH_URL (defaulting to http://localhost:$PORT) before Next starts, so route handlers in the
// same process always find it.
export function publicUrl(env: NodeJS.ProcessEnv = process.env): PublicUrl {
  const value = env.NEXTAUTH_URL;
  if (!value) throw new Error('NEXTAUTH_URL is not set: the portal needs its public URL');
  return parsePublicUrl(value);
}
