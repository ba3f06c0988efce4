import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { ZodError } from 'zod';
import { currentIdentity, type SessionLife } from '../auth/identity';
import { checkCsrf, csrfCookieName } from '../auth/csrf';
import { clientFor, type K8sClient } from '../k8s/client';
import { PortalError, toPortalError } from '../k8s/errors';
import { log, REQUEST_ID_HEADER } from '../log';

// Every API route goes through here: it resolves the signed-in user, builds their Kubernetes client, checks
// cross-site protection on mutations, and turns any error into the one error shape with the right status.

export interface RouteContext {
  client: K8sClient;
  requestId: string;
  displayName: string;
  // Absent in kubeconfig mode. Long-lived responses end with it (lib/auth/session-end.ts).
  session?: SessionLife;
}

type Handler<P> = (req: NextRequest, ctx: RouteContext, params: P) => Promise<Response>;

export function errorResponse(err: PortalError, requestId?: string): NextResponse {
  return NextResponse.json(err.toBody(), { status: err.status, headers: requestId ? { [REQUEST_ID_HEADER]: requestId } : undefined });
}

export function withUser<P = Record<string, never>>(handler: Handler<P>, opts: { mutation?: boolean } = {}) {
  return async (req: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get(REQUEST_ID_HEADER) ?? '';
    try {
      if (opts.mutation) {
        const secure = (process.env.NEXTAUTH_URL ?? '').startsWith('https://');
        const verdict = checkCsrf({
          method: req.method,
          origin: req.headers.get('origin'),
          secFetchSite: req.headers.get('sec-fetch-site'),
          host: req.headers.get('host'),
          expectedOrigin: process.env.NEXTAUTH_URL,
          csrfHeader: req.headers.get('x-csrf-token'),
          csrfCookie: req.cookies.get(csrfCookieName(secure))?.value,
          secret: process.env.NEXTAUTH_SECRET ?? '',
        });
        if (!verdict.ok) {
          log('warn', 'csrf check failed', { requestId, reason: verdict.reason, path: req.nextUrl.pathname });
          throw new PortalError(403, 'csrf', 'This request did not come from the portal and was refused.');
        }
      }
      const who = await currentIdentity();
      if (!who.ok) {
        throw new PortalError(401, 'unauthenticated', who.reason === 'expired' ? 'Your session has expired; sign in again.' : 'Sign in first.', { reason: who.reason });
      }
      const client = await clientFor(who.identity);
      return await handler(req, { client, requestId, displayName: who.displayName, session: who.session }, await route.params);
    } catch (err) {
      const e = err instanceof ZodError ? new PortalError(400, 'bad_request', 'The request is not valid.', { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }) : toPortalError(err);
      if (e.code === 'internal') log('error', 'route failed', { requestId, path: req.nextUrl.pathname, error: (err as Error)?.message });
      else log('info', 'route refused', { requestId, path: req.nextUrl.pathname, status: e.status, code: e.code });
      return errorResponse(e, requestId);
    }
  };
}
