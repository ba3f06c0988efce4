import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// Where the API server is and how to trust it. Defaults point at the sandbox so `npm start` works on a fresh
// machine; a deployment sets the variables. The CA is always explicit: nothing falls back to a default kubeconfig.
export interface ClusterSettings {
  server: string;
  caFile: string | undefined;
}

export type AuthMode = 'token' | 'impersonate' | 'kubeconfig';

export function authMode(): AuthMode {
  const mode = process.env.PORTAL_AUTH_MODE ?? 'token';
  if (mode === 'token' || mode === 'impersonate' || mode === 'kubeconfig') return mode;
  throw new Error(`PORTAL_AUTH_MODE must be token, impersonate or kubeconfig (got ${JSON.stringify(mode)})`);
}

// The sandbox's state directory (its CA and admin kubeconfig), as the sandbox's launcher names it.
export function sandboxDir(): string {
  return resolve(/*turbopackIgnore: true*/ process.env.SANDBOX_STATE_DIR ?? '.sandbox');
}

function existing(file: string): string | undefined {
  return existsSync(file) ? file : undefined;
}

// Used in token mode, where the portal holds no credentials of its own.
export function clusterSettings(): ClusterSettings {
  return {
    server: process.env.K8S_API_SERVER ?? 'https://127.0.0.1:6443',
    caFile: process.env.K8S_CA_FILE ?? existing(resolve(sandboxDir(), 'pki/ca.crt')),
  };
}

// The portal's own kubeconfig: the credentials of impersonation and single-user modes, and (optionally) the
// discovery of candidate namespace names in token mode.
export function portalKubeconfigPath(): string | undefined {
  const file = process.env.PORTAL_KUBECONFIG ?? resolve(sandboxDir(), 'kubeconfig');
  return existing(file);
}

export function portalKubeconfigContext(): string | undefined {
  return process.env.PORTAL_KUBECONFIG_CONTEXT || undefined;
}

// An explicit list of namespaces to offer, for clusters where the portal has no discovery credentials.
export function configuredNamespaces(): string[] | undefined {
  const list = process.env.PORTAL_NAMESPACES;
  return list ? list.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}
