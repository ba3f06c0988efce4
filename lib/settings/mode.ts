import { resolve } from 'node:path';
import { flag, nonNegativeInt, optional, text, type Parsed } from './vars';

// Sandbox mode: the portal runs on the project's sandbox (scripts/demo.sh, the end-to-end tests, `npm run dev`), and
// the sandbox's API server, identity provider, CA and kubeconfig are its defaults. Anywhere else nothing defaults to
// the sandbox: a production start names its cluster and identity provider.

export const modeVars = {
  PORTAL_SANDBOX: optional(flag),
  NODE_ENV: optional(text),
  SANDBOX_STATE_DIR: optional(text),
  // As the sandbox's launcher reads it (sandbox/launcher/paths.ts): every sandbox port shifted by this much.
  SANDBOX_PORT_OFFSET: optional(nonNegativeInt),
};

export interface Mode {
  sandbox: boolean; // PORTAL_SANDBOX=true, or next dev
  dev: boolean; // next dev (`--dev`, or NODE_ENV=development)
  sandboxDir: string; // where the sandbox keeps its CA and kubeconfig (only used in sandbox mode)
  sandboxPortOffset: number; // SANDBOX_PORT_OFFSET (only used in sandbox mode)
}

export function modeOf(v: Parsed<typeof modeVars>, argv: readonly string[]): Mode {
  const dev = argv.includes('--dev') || v.NODE_ENV === 'development';
  return {
    sandbox: v.PORTAL_SANDBOX === true || dev,
    dev,
    // As the sandbox's launcher names it (sandbox/launcher/paths.ts).
    sandboxDir: resolve(/*turbopackIgnore: true*/ v.SANDBOX_STATE_DIR ?? '.sandbox'),
    sandboxPortOffset: v.SANDBOX_PORT_OFFSET ?? 0,
  };
}
