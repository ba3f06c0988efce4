import type { IncomingMessage } from 'node:http';
import { getToken } from 'next-auth/jwt';
import type { AuthMode } from '../settings';
import { identityFromToken, type IdentityResult } from './session-check';

// Who is asking, from the session cookie of a raw request (a websocket upgrade that server.ts routes past Next), read
// exactly as currentIdentity (identity.ts) reads it from Next's cookie jar: next-auth's encrypted JWT, decrypted with
// the session secret, then identityFromToken (revoked, expired, lifetime). Only the cookie counts: next-auth's
// getToken would also take a bearer JWT from an Authorization header, so no header but the cookie is handed to it,
// and nothing in the URL is read. Used by server.ts, outside Next, so it must not import 'server-only'.

export interface RequestIdentityOptions {
  mode: AuthMode;
  secret: string;
  secureCookie: boolean; // https public URL: next-auth's __Secure- cookie name
  maxLifetimeS: number;
  isRevoked: (sid: string) => boolean;
  kubeconfigUser: () => string; // single-user mode's name
  nowS?: () => number;
}

/** The cookies of a Cookie header, by name (the first of a repeated name wins, as browsers send the most specific first). */
export function cookiesOf(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export async function identityFromRequest(req: Pick<IncomingMessage, 'headers'>, opts: RequestIdentityOptions): Promise<IdentityResult> {
  if (opts.mode === 'kubeconfig') {
    // No sign-in, so no session to end (as currentIdentity).
    const user = opts.kubeconfigUser();
    return { ok: true, identity: { mode: 'kubeconfig', username: user, groups: [] }, displayName: user };
  }
  const raw = await getToken({ req: { cookies: cookiesOf(req.headers.cookie), headers: {} } as never, secret: opts.secret, secureCookie: opts.secureCookie });
  const nowS = opts.nowS?.() ?? Date.now() / 1000;
  return identityFromToken(raw, opts.mode, { nowS, maxLifetimeS: opts.maxLifetimeS, isRevoked: opts.isRevoked });
}
