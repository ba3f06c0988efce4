import { NextResponse } from 'next/server';
import { endSessionUrl, idTokenHintFor, type LogoutUrlResponse } from '@/lib/auth/end-session';
import { currentSessionToken } from '@/lib/auth/identity';
import { oidcDiscovery } from '@/lib/auth/oidc-http';
import { isRevoked } from '@/lib/auth/revocations';
import { log, REQUEST_ID_HEADER } from '@/lib/log';
import { settings } from '@/lib/settings';

export const dynamic = 'force-dynamic';

// Where the sign-out button sends the browser after next-auth has signed it out here: the IdP's end-session
// endpoint for this session, or null to stay on the portal. Asked before signing out, while the cookie still
// holds the ID token. An expired session still gets the URL: its IdP session may well be alive.
export async function GET(req: Request): Promise<Response> {
  const answer = (body: LogoutUrlResponse) => NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
  const { authMode: mode, oidc, site } = settings();
  if (mode === 'kubeconfig' || !oidc) return answer({ url: null });
  const token = await currentSessionToken();
  if (!token || isRevoked(token.sid)) return answer({ url: null });
  let endSessionEndpoint: string | undefined;
  try {
    endSessionEndpoint = (await oidcDiscovery()).end_session_endpoint;
  } catch (err) {
    log('warn', 'discovery failed; signing out locally only', { requestId: req.headers.get(REQUEST_ID_HEADER), error: (err as Error).message });
  }
  const url = endSessionUrl({
    endSessionEndpoint,
    clientId: oidc.clientId,
    // The way back is the configured public URL, never one made from the request's Host header.
    publicUrl: site.url,
    idTokenHint: idTokenHintFor(mode, token, Date.now() / 1000),
  });
  return answer({ url });
}
