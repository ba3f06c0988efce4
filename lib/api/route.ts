import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { currentIdentity, type SessionLife } from '../auth/identity';
import { checkCsrf, csrfCookieName, needsCsrfCheck } from '../auth/csrf';
import { clientFor, type K8sClient } from '../k8s/client';
import { PortalError } from '../k8s/errors';
import { log, REQUEST_ID_HEADER } from '../log';
import { settings } from '../settings';
import { readJsonBody } from './request-body';
import { toRouteError } from './route-error';

// Every API route goes through here: it checks cross-site protection on every method but GET and HEAD, validates
// the path parameters, resolves the signed-in user and builds their Kubernetes client, and turns any error into the
// one error shape with the right status.

export interface RouteContext {
  client: K8sClient;
  requestId: string;
  displayName: string;
  // The JSON body, size-limited and validated; a broken or oversized body is the caller's 400/413.
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  // Absent in kubeconfig mode. Long-lived responses end with it (lib/auth/session-end.ts).
  session?: SessionLife;
}

type Handler<P> = (req: NextRequest, ctx: RouteContext, params: P) => Promise<Response>;

function errorResponse(err: PortalError, requestId?: string): NextResponse {
  return NextResponse.json(err.toBody(), { status: err.status, headers: requestId ? { [REQUEST_ID_HEADER]: requestId } : undefined });
}

function refuseCrossSite(req: NextRequest, requestId: string): void {
  const { site, session } = settings();
  const verdict = checkCsrf({
    method: req.method,
    origin: req.headers.get('origin'),
    secFetchSite: req.headers.get('sec-fetch-site'),
    expectedOrigin: site.origin,
    csrfHeader: req.headers.get('x-csrf-token'),
    csrfCookie: req.cookies.get(csrfCookieName(site.secure))?.value,
    secret: session.secret ?? '',
  });
  if (!verdict.ok) {
    log('warn', 'csrf check failed', { requestId, reason: verdict.reason, path: req.nextUrl.pathname });
    throw new PortalError(403, 'csrf', 'This request did not come from the portal and was refused.');
  }
}

// Routes with path segments pass their schema; the handler only ever sees validated parameters.
export function withUser<P = Record<string, never>>(handler: Handler<P>, opts: { params?: z.ZodType<P> } = {}) {
  return async (req: NextRequest, route: { params: Promise<unknown> }): Promise<Response> => {
    const requestId = req.headers.get(REQUEST_ID_HEADER) ?? '';
    try {
      if (needsCsrfCheck(req.method)) refuseCrossSite(req, requestId);
      const params = opts.params ? opts.params.parse(await route.params) : ({} as P);
      const who = await currentIdentity();
      if (!who.ok) {
        throw new PortalError(401, 'unauthenticated', who.reason === 'expired' ? 'Your session has expired; sign in again.' : 'Sign in first.', { reason: who.reason });
      }
      const client = await clientFor(who.identity);
      const ctx: RouteContext = { client, requestId, displayName: who.displayName, session: who.session, body: (schema) => readJsonBody(req, schema) };
      return await handler(req, ctx, params);
    } catch (err) {
      const e = toRouteError(err);
      // A browser that left (a page closed or navigated away) aborts its requests; the upstream call then fails with
      // AbortError. Nobody reads the answer and nothing went wrong on the portal's side: not an error to alert on.
      if (e.code === 'internal' && req.signal?.aborted) log('info', 'request abandoned by the client', { requestId, path: req.nextUrl.pathname });
      else if (e.code === 'internal') log('error', 'route failed', { requestId, path: req.nextUrl.pathname, error: (err as Error)?.message });
      else log('info', 'route refused', { requestId, path: req.nextUrl.pathname, status: e.status, code: e.code });
      return errorResponse(e, requestId);
    }
  };
}
