import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { authBodyError, authErrorBody } from '@/lib/auth/auth-route-errors';
import { idpBrowserView, toBrowserUrl } from '@/lib/auth/idp-browser';
import { settings } from '@/lib/settings';

// next-auth's routes: sign-in redirect to the IdP, callback, session (which refreshes the ID token), csrf, sign-out.
// Where the portal serves the IdP's pages itself (sandbox mode), the sign-in redirect is pointed there.
async function handler(req: Request, ctx: unknown): Promise<Response> {
  // Only a body declared as JSON is read here (next-auth's own POSTs are forms, read by next-auth).
  const contentType = req.headers.get('content-type');
  const declaredJson = req.method === 'POST' && (contentType ?? '').includes('application/json');
  const bodyError = authBodyError(req.method, contentType, declaredJson ? await req.clone().text() : '');
  if (bodyError) return Response.json(bodyError, { status: 400 });
  const res: Response = await NextAuth(authOptions())(req as never, ctx as never);
  const error = authErrorBody(res.status, res.headers.get('content-type'));
  if (error) return Response.json(error, { status: res.status });
  const { oidc, site } = settings();
  const view = idpBrowserView(oidc, site.origin);
  if (!view) return res;
  const location = res.headers.get('location');
  if (location) {
    const rewritten = toBrowserUrl(view, location);
    if (rewritten === location) return res;
    const headers = new Headers(res.headers);
    headers.set('location', rewritten);
    return new Response(res.body, { status: res.status, headers });
  }
  // signIn() from next-auth/react asks for JSON ({ url }) and navigates there itself.
  if ((res.headers.get('content-type') ?? '').includes('application/json') && new URL(req.url).pathname.includes('/signin/')) {
    const body = (await res.clone().json().catch(() => undefined)) as { url?: unknown } | undefined;
    if (body && typeof body.url === 'string') {
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify({ ...body, url: toBrowserUrl(view, body.url) }), { status: res.status, headers });
    }
  }
  return res;
}

export { handler as GET, handler as POST };
