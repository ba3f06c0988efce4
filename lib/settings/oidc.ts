import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthMode } from './cluster';
import type { Mode } from './mode';
import { existingFile, flag, httpUrl, optional, presentFile, text, withDefault, type Parsed, type Requirements } from './vars';

// The identity provider: any standard OpenID Connect provider (Keycloak, Entra ID, Dex); in sandbox mode the
// sandbox's Dex unless told otherwise. And how an ID token names a Kubernetes user, which must match the API
// server's OIDC flags so token and impersonation modes name the same user.

export const oidcVars = {
  OIDC_ISSUER: optional(httpUrl),
  OIDC_CLIENT_ID: optional(text),
  OIDC_CLIENT_SECRET: optional(text),
  OIDC_CA_FILE: optional(existingFile),
  OIDC_PROVIDER_NAME: optional(text),
  OIDC_SCOPES: withDefault(text, 'openid profile email groups offline_access'),
  OIDC_BROWSER_PROXY: optional(flag),
  OIDC_USERNAME_CLAIM: withDefault(text, 'preferred_username'),
  OIDC_GROUPS_CLAIM: withDefault(text, 'groups'),
  OIDC_USERNAME_PREFIX: optional(text),
  OIDC_GROUPS_PREFIX: optional(text),
};

export interface OidcSettings {
  providerId: 'sandbox'; // the redirect URI registered at the IdP ends in /api/auth/callback/sandbox
  providerName: string;
  issuer: string; // without a trailing slash
  clientId: string;
  clientSecret: string;
  scopes: string;
  // The IdP's private CA (the sandbox's), trusted explicitly rather than through NODE_TLS_REJECT_UNAUTHORIZED;
  // used when present.
  caFile?: string;
  // Serve the IdP's browser pages from the portal's origin (lib/auth/idp-browser.ts).
  browserProxy: boolean;
}

export interface ClaimRules {
  usernameClaim: string;
  groupsClaim: string;
  usernamePrefix: string;
  groupsPrefix: string;
}

// The issuer's port shifts with SANDBOX_PORT_OFFSET, as the launcher shifts Dex's.
const SANDBOX = { issuer: (mode: Mode) => `https://127.0.0.1:${5556 + mode.sandboxPortOffset}/dex`, clientId: 'kubevirt-portal', clientSecret: 'sandbox-portal-secret', providerName: 'Sandbox (Dex)' };

// `-` is how the API server's flags spell "no prefix", so a value copied from them means the same here.
const prefix = (value: string | undefined) => (!value || value === '-' ? '' : value);

/** Undefined only in kubeconfig mode outside the sandbox with no OIDC_ISSUER: nobody signs in there. */
export function oidcSettings(v: Parsed<typeof oidcVars>, authMode: AuthMode, mode: Mode, r: Requirements): OidcSettings | undefined {
  const signIn = authMode !== 'kubeconfig';
  if (!mode.sandbox && !signIn && !v.OIDC_ISSUER) return undefined;
  const explicit = (name: 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET', sandboxValue: string, why: string) => {
    const value = v[name] ?? (mode.sandbox ? sandboxValue : undefined);
    if (value === undefined) r.need(name, why);
    return value ?? '';
  };
  return {
    providerId: 'sandbox',
    providerName: v.OIDC_PROVIDER_NAME ?? (mode.sandbox ? SANDBOX.providerName : 'OpenID Connect'),
    issuer: explicit('OIDC_ISSUER', SANDBOX.issuer(mode), 'the identity provider users sign in with'),
    clientId: explicit('OIDC_CLIENT_ID', SANDBOX.clientId, "the portal's client id at the identity provider"),
    clientSecret: explicit('OIDC_CLIENT_SECRET', SANDBOX.clientSecret, "the portal's client secret at the identity provider"),
    scopes: v.OIDC_SCOPES,
    caFile: v.OIDC_CA_FILE ?? (mode.sandbox ? resolve(mode.sandboxDir, 'pki/ca.crt') : undefined),
    // By default only for the sandbox's own issuer, never for a real provider, whose certificate browsers trust.
    browserProxy: v.OIDC_BROWSER_PROXY ?? v.OIDC_ISSUER === undefined,
  };
}

export function claimRules(v: Parsed<typeof oidcVars>): ClaimRules {
  return {
    usernameClaim: v.OIDC_USERNAME_CLAIM,
    groupsClaim: v.OIDC_GROUPS_CLAIM,
    usernamePrefix: prefix(v.OIDC_USERNAME_PREFIX),
    groupsPrefix: prefix(v.OIDC_GROUPS_PREFIX),
  };
}

/** The IdP's CA, read at each use: the sandbox may make (or remake) it after the portal started. */
export function oidcCa(s: Pick<OidcSettings, 'caFile'>): Buffer | undefined {
  const file = presentFile(s.caFile);
  return file ? readFileSync(/*turbopackIgnore: true*/ file) : undefined;
}
