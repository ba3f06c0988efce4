import { z } from 'zod';
import { optional, type Parsed } from './vars';

// The portal's public URL, the one the browser sees and the identity provider redirects back to. Everything that
// asks "is this request from our own pages?" or "are we served over https?" reads it from here, never from a
// request's Host header: a DNS-rebinding page controls Host and Origin together.

export interface PublicUrl {
  url: string; // NEXTAUTH_URL as given (next-auth reads it too)
  origin: string; // scheme://host[:port], as browsers serialize an Origin header
  secure: boolean; // https: cookies get Secure/__Host- names, HSTS is sent
  websocketOrigin: string; // ws(s):// of the same host, for connect-src
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const publicUrlVars = {
  NEXTAUTH_URL: optional(z.string().trim().pipe(httpUrl)),
};

export function parsePublicUrl(value: string): PublicUrl {
  const url = new URL(httpUrl.parse(value.trim()));
  const secure = url.protocol === 'https:';
  return { url: value.trim(), origin: url.origin, secure, websocketOrigin: `${secure ? 'wss' : 'ws'}://${url.host}` };
}

// Without NEXTAUTH_URL, the address a browser on this machine uses: the sandbox's Dex has it registered.
export function publicUrlSettings(v: Parsed<typeof publicUrlVars>, port: number): PublicUrl {
  return parsePublicUrl(v.NEXTAUTH_URL ?? `http://localhost:${port}`);
}
