import { z } from 'zod';
import { flag, optional, text, withDefault, type Parsed } from './vars';

// Where server.ts listens (lib/server/listen-host.ts decides the host from these and the auth mode).

export const listenVars = {
  PORT: withDefault(z.string().trim().regex(/^\d+$/, 'must be a port number').transform(Number).pipe(z.number().int().min(1, 'must be a port number').max(65535, 'must be a port number')), '3000'),
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
