// Where the portal listens. In kubeconfig mode nobody signs in and every visitor acts as the kubeconfig's user, so
// the portal stays on loopback unless the operator says in so many words that the network may reach it.

import type { AuthMode } from '../settings';

export interface ListenInput {
  authMode: AuthMode;
  host: string | undefined; // HOST
  allowRemoteKubeconfigMode: boolean; // PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE
}

export type ListenDecision = { ok: true; host: string; warnings: string[] } | { ok: false; error: string };

const ALLOW_VAR = 'PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE';

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export function listenHost(input: ListenInput): ListenDecision {
  const host = input.host?.trim() || undefined;
  if (input.authMode !== 'kubeconfig') return { ok: true, host: host ?? '0.0.0.0', warnings: [] };
  const allowRemote = input.allowRemoteKubeconfigMode;
  const shared = 'PORTAL_AUTH_MODE=kubeconfig: there is no sign-in and everyone who reaches the portal acts as the kubeconfig’s user';

  if (host && isLoopback(host)) return { ok: true, host, warnings: [`${shared}; listening on loopback (${host}) only`] };
  if (!allowRemote) {
    if (host) return { ok: false, error: `${shared}, so it will not listen on HOST=${host}; set ${ALLOW_VAR}=true to allow that, or use a loopback HOST` };
    return { ok: true, host: '127.0.0.1', warnings: [`${shared}; listening on 127.0.0.1 only (set ${ALLOW_VAR}=true and HOST to listen elsewhere)`] };
  }
  const remote = host ?? '0.0.0.0';
  return { ok: true, host: remote, warnings: [`${shared}, and ${ALLOW_VAR}=true lets the network reach it on ${remote}: anyone who can connect has that user’s rights`] };
}
