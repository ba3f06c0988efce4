import { resolve } from 'node:path';
import { z } from 'zod';
import type { Mode } from './mode';
import { existingFile, httpUrl, optional, text, withDefault, type Parsed, type Requirements } from './vars';

// Which cluster the portal talks to, and as whom. The CA is always named (explicitly, or the sandbox's):
// nothing falls back to a default kubeconfig, or to client-node's http://localhost:8080.

const AUTH_MODES = ['token', 'impersonate', 'kubeconfig'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const clusterVars = {
  PORTAL_AUTH_MODE: withDefault(z.enum(AUTH_MODES, { error: 'must be token, impersonate or kubeconfig' }), 'token'),
  K8S_API_SERVER: optional(httpUrl),
  K8S_CA_FILE: optional(existingFile),
  PORTAL_KUBECONFIG: optional(existingFile),
  PORTAL_KUBECONFIG_CONTEXT: optional(text),
  // In a pod: /var/run/secrets/kubernetes.io/serviceaccount/token, with K8S_API_SERVER and K8S_CA_FILE naming the
  // cluster (the Helm chart sets all three).
  PORTAL_SERVICE_ACCOUNT_TOKEN_FILE: optional(existingFile),
  PORTAL_NAMESPACES: optional(text.transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean))),
  // Where the cluster keeps its shared golden images (CDI's DataImportCrons put them in kubevirt-os-images).
  PORTAL_IMAGES_NAMESPACES: withDefault(text.transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean)), 'kubevirt-os-images'),
};

export interface ClusterSettings {
  // The API server of token mode, and the one /readyz checks in every mode.
  server: string;
  // Files below are used when present: a sandbox default exists only once the sandbox has made it.
  caFile?: string;
  // The portal's own credentials: impersonation and single-user modes, and in token mode only the discovery of
  // candidate namespace names.
  kubeconfig?: string;
  kubeconfigContext?: string;
  // Or the portal's own credentials as a bearer token file (a pod's service-account token, talking to `server` with
  // `caFile`); read again at each use because projected tokens rotate. Never both: exactly one kind is the portal.
  serviceAccountTokenFile?: string;
  // Candidate namespaces, for token mode without discovery credentials.
  namespaces?: string[];
  // Namespaces whose DataSources every user is offered as boot sources.
  imagesNamespaces: string[];
}

// Shifted by SANDBOX_PORT_OFFSET, as the launcher shifts it (sandbox/launcher/paths.ts), so a second sandbox's portal
// finds its own API server.
const sandboxApiServer = (mode: Mode) => `https://127.0.0.1:${6443 + mode.sandboxPortOffset}`;

export function clusterSettings(v: Parsed<typeof clusterVars>, mode: Mode, r: Requirements): ClusterSettings {
  const sandbox = (file: string) => (mode.sandbox ? resolve(mode.sandboxDir, file) : undefined);
  const server = v.K8S_API_SERVER ?? (mode.sandbox ? sandboxApiServer(mode) : undefined);
  if (!server) r.need('K8S_API_SERVER', 'the API server to talk to (token mode) and to check for readiness');
  const tokenFile = v.PORTAL_SERVICE_ACCOUNT_TOKEN_FILE;
  if (tokenFile && v.PORTAL_KUBECONFIG) r.refuse('PORTAL_SERVICE_ACCOUNT_TOKEN_FILE', 'set either PORTAL_KUBECONFIG or PORTAL_SERVICE_ACCOUNT_TOKEN_FILE, not both');
  // A token file given explicitly wins over the sandbox's default kubeconfig.
  const kubeconfig = v.PORTAL_KUBECONFIG ?? (tokenFile ? undefined : sandbox('kubeconfig'));
  if (!kubeconfig && !tokenFile && v.PORTAL_AUTH_MODE !== 'token') {
    r.need('PORTAL_KUBECONFIG', `the portal's own credentials, which PORTAL_AUTH_MODE=${v.PORTAL_AUTH_MODE} acts with (or PORTAL_SERVICE_ACCOUNT_TOKEN_FILE in a pod)`);
  }
  return {
    server: server ?? '',
    caFile: v.K8S_CA_FILE ?? sandbox('pki/ca.crt'),
    kubeconfig,
    kubeconfigContext: v.PORTAL_KUBECONFIG_CONTEXT,
    serviceAccountTokenFile: tokenFile,
    namespaces: v.PORTAL_NAMESPACES,
    imagesNamespaces: v.PORTAL_IMAGES_NAMESPACES,
  };
}
