import { ConsoleProxy } from './console-proxy';
import { identityFromRequest } from '../auth/request-identity';
import { isRevoked } from '../auth/revocations';
import { watchSessionEnd } from '../auth/session-end';
import { reviewAccess } from '../k8s/access';
import { clientFor } from '../k8s/client';
import { portalKubeconfigUser } from '../k8s/kubeconfig';
import { dialSubresourceSocket } from '../k8s/subresource-socket';
import { settings } from '../settings';

// The console websocket proxy as server.ts mounts it: the real session cookie, access review and dial (all through
// lib/k8s, as the user), with the configured caps. server.ts runs outside Next's bundler, so nothing this reaches
// may import 'server-only' (tests/walls.test.ts checks).

export { ConsoleProxy } from './console-proxy';
export { CONSOLES_PREFIX } from '../shared/console-protocol';

export interface ConsoleProxyOptions {
  // The session secret server.ts settled on (NEXTAUTH_SECRET, or the generated one), which decrypts the cookie.
  sessionSecret: string;
}

export function consoleProxy(opts: ConsoleProxyOptions): ConsoleProxy {
  const s = settings();
  return new ConsoleProxy({
    expectedOrigin: s.site.origin,
    authenticate: (req) =>
      identityFromRequest(req, {
        mode: s.authMode,
        secret: opts.sessionSecret,
        secureCookie: s.site.secure,
        maxLifetimeS: s.session.maxLifetimeS,
        isRevoked,
        kubeconfigUser: portalKubeconfigUser,
      }),
    review: async (identity, check) => reviewAccess(await clientFor(identity), check),
    dial: dialSubresourceSocket,
    watchSession: (session, onEnd) => watchSessionEnd(session, onEnd),
    limits: s.consoles,
  });
}
