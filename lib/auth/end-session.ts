import { z } from 'zod';

// Signing out of the portal also ends the session at the identity provider when it offers that (OpenID Connect
// RP-Initiated Logout: the discovery document's end_session_endpoint); otherwise (Dex has none) the portal signs
// out locally only. Shared by the route that works out the URL and the button that follows it.

export const SIGNED_OUT_PATH = '/signin?reason=signed_out';

export interface EndSessionInput {
  endSessionEndpoint: string | undefined;
  clientId: string;
  publicUrl: string; // NEXTAUTH_URL: the IdP sends the browser back there
  idTokenHint: string | undefined;
}

export function endSessionUrl(input: EndSessionInput): string | null {
  if (!input.endSessionEndpoint) return null;
  let url: URL;
  try {
    url = new URL(input.endSessionEndpoint);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (input.idTokenHint) url.searchParams.set('id_token_hint', input.idTokenHint);
  // client_id lets the IdP check the redirect URI when there is no hint, and must match the hint when there is.
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('post_logout_redirect_uri', new URL(SIGNED_OUT_PATH, input.publicUrl).toString());
  return url.toString();
}

// The logout URL passes through the browser (and its history). In token mode the ID token is by design the user's
// Kubernetes credential, so while it is still valid it stays on the server and client_id identifies the portal
// instead; in impersonation mode the API server is not meant to accept it, and the hint spares the user a prompt.
export function idTokenHintFor(mode: 'token' | 'impersonate', token: { idToken: string; expiresAt: number }, nowS: number): string | undefined {
  return mode === 'token' && token.expiresAt > nowS ? undefined : token.idToken;
}

export const logoutUrlResponse = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });
export type LogoutUrlResponse = z.infer<typeof logoutUrlResponse>;
