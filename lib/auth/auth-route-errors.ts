import type { ErrorResponse, PortalErrorCode } from '../shared/error-body';

// next-auth answers a request it cannot serve (an unknown action, a GET of a POST-only one) with its own plain-text
// error. The portal's API speaks one error shape, so such an answer is rewritten into it: the status stays, the
// text does not (it is next-auth's, and names its internals).

const CODES: Record<number, PortalErrorCode> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'bad_request', 413: 'payload_too_large', 429: 'too_many_requests' };

/** The error shape for a non-JSON error answer of next-auth's, or undefined to pass its answer on as it is. */
export function authErrorBody(status: number, contentType: string | null): ErrorResponse | undefined {
  if (status < 400 || (contentType ?? '').includes('application/json')) return undefined;
  const code = CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
  const message = status >= 500 ? 'Signing in failed on the portal; try again.' : 'The sign-in service does not serve this request.';
  return { error: { code, message } };
}

/**
 * next-auth parses a POST body it is told is JSON without catching the parser's error, which Next then answers as a
 * bare 500. The portal asks first: a body declared JSON that is not is the caller's 400.
 */
export function authBodyError(method: string, contentType: string | null, text: string): ErrorResponse | undefined {
  if (method !== 'POST' || !(contentType ?? '').includes('application/json')) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return { error: { code: 'bad_request', message: 'The request body is not valid JSON.' } };
  }
}
