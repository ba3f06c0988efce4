import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// `-` is how the API server's flags spell "no prefix", so a value copied from them means the same here.
function prefix(value: string | undefined): string {
  return !value || value === '-' ? '' : value;
}

// The identity provider. Defaults are the sandbox's Dex so `npm start` works with no set-up; any standard OpenID
// Connect provider (Keycloak, Entra ID, Dex) is configured with these variables.
export function oidcSettings() {
  const caFile = process.env.OIDC_CA_FILE ?? resolve(process.env.SANDBOX_STATE_DIR ?? '.sandbox', 'pki/ca.crt');
  return {
    providerId: 'sandbox' as const, // the redirect URI registered at the IdP ends in /api/auth/callback/sandbox
    providerName: process.env.OIDC_PROVIDER_NAME ?? 'Sandbox (Dex)',
    issuer: (process.env.OIDC_ISSUER ?? 'https://127.0.0.1:5556/dex').replace(/\/$/, ''),
    clientId: process.env.OIDC_CLIENT_ID ?? 'kubevirt-portal',
    clientSecret: process.env.OIDC_CLIENT_SECRET ?? 'sandbox-portal-secret',
    scopes: process.env.OIDC_SCOPES ?? 'openid profile email groups offline_access',
    // Must match the API server's --oidc-username-claim / --oidc-groups-claim so impersonation names the same user.
    usernameClaim: process.env.OIDC_USERNAME_CLAIM ?? 'preferred_username',
    groupsClaim: process.env.OIDC_GROUPS_CLAIM ?? 'groups',
    // Must match --oidc-username-prefix / --oidc-groups-prefix (the sandbox's API server uses none).
    usernamePrefix: prefix(process.env.OIDC_USERNAME_PREFIX),
    groupsPrefix: prefix(process.env.OIDC_GROUPS_PREFIX),
    // A private CA (the sandbox's) is trusted explicitly rather than through NODE_TLS_REJECT_UNAUTHORIZED.
    ca: existsSync(/*turbopackIgnore: true*/ caFile) ? readFileSync(/*turbopackIgnore: true*/ caFile) : undefined,
  };
}

// Refresh when less than this is left, so a token never expires between the browser's session checks.
export const REFRESH_MARGIN_S = 5 * 60;
