// Fresh ID tokens from the sandbox's identity provider, by the resource-owner password grant (scripted logins).
import { httpRequest } from './http.ts';
import { urls } from './paths.ts';
import { pki } from './pki.ts';
import { findUser, oidcClient } from './users.ts';

export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export async function passwordGrant(username: string, password = username): Promise<TokenSet> {
  const user = findUser(username);
  if (!user) throw new Error(`unknown sandbox user "${username}"`);
  const body = new URLSearchParams({
    grant_type: 'password',
    // Dex's local connector logs users in by e-mail address.
    username: user.email,
    password,
    scope: 'openid profile email groups offline_access',
  }).toString();
  const res = await httpRequest('POST', `${urls.dexIssuer}/token`, { ca: pki.caCert }, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${oidcClient.id}:${oidcClient.secret}`).toString('base64'),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`identity provider refused the login for ${username}: ${res.status} ${res.body}`);
  const json = JSON.parse(res.body) as { id_token: string; access_token: string; refresh_token?: string; expires_in: number };
  return { idToken: json.id_token, accessToken: json.access_token, refreshToken: json.refresh_token, expiresIn: json.expires_in };
}
