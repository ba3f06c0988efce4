// The identity provider as the browser sees it. A newcomer's browser does not trust the sandbox's private CA, so in
// sandbox mode the portal serves the provider's pages (the issuer's path, e.g. /dex/...) from its own origin and
// sends the browser there; the portal server itself, and the API server, keep talking to the https issuer.
// Pure functions: the proxy in lib/server/idp-proxy.ts and the next-auth route use them.

export interface IdpBrowserView {
  /** The issuer as configured (what the API server and the tokens name), without a trailing slash. */
  issuer: URL;
  /** The portal's public origin, where the browser is sent instead. */
  publicOrigin: string;
}

/** The view when the settings ask for the proxy (OIDC_BROWSER_PROXY, lib/settings/oidc.ts), else undefined. */
export function idpBrowserView(oidc: { issuer: string; browserProxy: boolean } | undefined, publicOrigin: string): IdpBrowserView | undefined {
  if (!oidc?.browserProxy) return undefined;
  const iss = new URL(oidc.issuer.replace(/\/$/, ''));
  // The issuer's path is where the proxied pages live on the portal: it must not be the portal's root.
  if (iss.pathname === '/' || iss.pathname === '') return undefined;
  return { issuer: iss, publicOrigin };
}

const issuerPath = (v: IdpBrowserView) => v.issuer.pathname.replace(/\/$/, '');

/** A request path the proxy serves: the issuer's path itself or anything under it. */
export function isIdpPath(v: IdpBrowserView, path: string): boolean {
  const p = issuerPath(v);
  return path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`);
}

/** An absolute URL on the issuer's origin and path, as the browser should reach it; other URLs stay as they are. */
export function toBrowserUrl(v: IdpBrowserView, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.origin !== v.issuer.origin || !isIdpPath(v, u.pathname)) return url;
  return `${v.publicOrigin}${u.pathname}${u.search}${u.hash}`;
}

/** The upstream URL for a proxied request path (path and query as the browser sent them). */
export function upstreamUrl(v: IdpBrowserView, pathAndQuery: string): string {
  return `${v.issuer.origin}${pathAndQuery}`;
}
