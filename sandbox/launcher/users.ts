// The sandbox's people. Passwords equal user names: this is a local sandbox, never a shared environment.
export interface SandboxUser {
  username: string;
  email: string;
  groups: string[];
  role: string;
}

export const users: SandboxUser[] = [
  { username: 'admin', email: 'admin@sandbox.test', groups: ['portal-admins'], role: 'cluster-admin everywhere' },
  { username: 'dev-a', email: 'dev-a@sandbox.test', groups: ['team-a'], role: 'edits VMs in team-a' },
  { username: 'dev-b', email: 'dev-b@sandbox.test', groups: ['team-b'], role: 'edits VMs in team-b' },
  { username: 'viewer', email: 'viewer@sandbox.test', groups: ['viewers'], role: 'reads team-a and team-b' },
];

/** The OAuth client the portal (and the token helper) use at the identity provider. */
export const oidcClient = {
  id: 'kubevirt-portal',
  // Not a secret in any real sense: the sandbox's IdP only listens on loopback. Override for a shared machine.
  secret: process.env.SANDBOX_OIDC_CLIENT_SECRET ?? 'sandbox-portal-secret',
  redirectURIs: (process.env.SANDBOX_OIDC_REDIRECT_URIS ??
    'http://localhost:3000/api/auth/callback/sandbox,http://127.0.0.1:3000/api/auth/callback/sandbox').split(','),
};

export function findUser(name: string): SandboxUser | undefined {
  return users.find((u) => u.username === name || u.email === name);
}
