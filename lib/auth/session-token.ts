// What the portal keeps in next-auth's encrypted JWT cookie. The tokens stay in there: the session callback hands
// the browser only the user's name, groups and mode.
export interface PortalToken {
  sid: string; // session id, for revocation on sign-out
  username: string;
  groups: string[];
  email?: string;
  name?: string;
  idToken: string;
  refreshToken?: string;
  expiresAt: number; // ID token expiry, epoch seconds
  error?: 'RefreshFailed';
}

export interface PortalSession {
  user: { name: string; email?: string; username: string; groups: string[] };
  expires: string;
  mode: 'token' | 'impersonate' | 'kubeconfig';
  error?: 'RefreshFailed';
}
