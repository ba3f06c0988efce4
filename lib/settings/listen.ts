import { flag, optional, portNumber, text, withDefault, type Parsed } from './vars';

// Where server.ts listens (lib/server/listen-host.ts decides the host from these and the auth mode).

export const listenVars = {
  PORT: withDefault(portNumber, '3000'),
  HOST: optional(text),
  PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE: withDefault(flag, 'false'),
};

export interface ListenSettings {
  port: number;
  host?: string;
  // Lets kubeconfig mode (no sign-in) listen beyond loopback.
  allowRemoteKubeconfigMode: boolean;
}

export function listenSettings(v: Parsed<typeof listenVars>): ListenSettings {
  return { port: v.PORT, host: v.HOST, allowRemoteKubeconfigMode: v.PORTAL_ALLOW_REMOTE_KUBECONFIG_MODE };
}
