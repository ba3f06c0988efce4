// The one error shape of every portal route, `{ error: { code, message, details? } }`: made by the server
// (lib/k8s/errors.ts), read by the browser (lib/live/api-client.ts, the live stream).

export type PortalErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'quota_exceeded'
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'bad_request'
  | 'payload_too_large'
  | 'gone'
  | 'too_many_requests'
  | 'upstream_error'
  | 'api_unreachable'
  | 'idp_unreachable'
  | 'csrf'
  | 'internal';

export interface PortalErrorBody {
  code: PortalErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface ErrorResponse {
  error: PortalErrorBody;
}

/**
 * The error of a parsed response body when it has the portal's shape, else undefined (a proxy's page, say). The code
 * is taken as it comes: a newer server may know codes this browser does not.
 */
export function errorOfBody(body: unknown): PortalErrorBody | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error as Partial<PortalErrorBody> | undefined;
  if (!error || typeof error.code !== 'string' || !error.code) return undefined;
  return {
    code: error.code,
    message: typeof error.message === 'string' ? error.message : '',
    ...(error.details && typeof error.details === 'object' ? { details: error.details } : {}),
  };
}
