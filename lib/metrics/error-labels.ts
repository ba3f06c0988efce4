// The labels of the error counters, from what the API server or the network said. Pure. Every label value comes
// from a fixed set, so an odd upstream (or a proxy in front of it) cannot grow the number of series.

// metav1.StatusReason: the reasons the API server (and aggregated servers such as virt-api) put in a Status.
const STATUS_REASONS: ReadonlySet<string> = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Expired',
  'Invalid',
  'ServerTimeout',
  'StoreReadError',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'ServiceUnavailable',
]);

export interface UpstreamErrorLabels {
  status: string; // the HTTP status ("403"), or "transport" when no answer came
  reason: string; // the Status's reason, the network failure's kind, "none" or "other"
}

/** An answer of the API server that was not a success: its status and, when it sent a Status, that reason. */
export function upstreamAnswerLabels(httpStatus: number, reason: string | undefined): UpstreamErrorLabels {
  const status = Number.isInteger(httpStatus) && httpStatus >= 100 && httpStatus <= 599 ? String(httpStatus) : 'other';
  return { status, reason: reason === undefined || reason === '' ? 'none' : STATUS_REASONS.has(reason) ? reason : 'other' };
}

const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** No answer at all: the connection was refused, reset, timed out, or TLS failed. */
export function transportErrorLabels(err: unknown): UpstreamErrorLabels {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  let reason = 'other';
  if (NETWORK_CODES.has(code)) reason = code;
  else if (/CERT|UNABLE_TO|^ERR_TLS_|^ERR_SSL_|SELF_SIGNED/.test(code)) reason = 'tls';
  return { status: 'transport', reason };
}

// What the portal asks of the identity provider, for the kind label of the identity-provider error counter.
export const IDP_ERROR_KINDS = ['discovery', 'sign_in', 'token_exchange', 'profile', 'token_refresh', 'browser_proxy'] as const;
export type IdpErrorKind = (typeof IDP_ERROR_KINDS)[number];

// next-auth's logger codes that are the identity provider failing (or refusing); its other codes (session, JWT,
// sign-out) are the portal's own business.
const NEXT_AUTH_CODES: Readonly<Record<string, IdpErrorKind>> = {
  // building the authorization URL, which needs the provider's discovery document
  SIGNIN_OAUTH_ERROR: 'sign_in',
  // the callback: the provider's error answer, the code-for-tokens exchange, the ID token's checks
  OAUTH_CALLBACK_ERROR: 'token_exchange',
  OAUTH_CALLBACK_HANDLER_ERROR: 'token_exchange',
  OAUTH_PARSE_PROFILE_ERROR: 'profile',
};

/** The kind of identity-provider error a next-auth logger code stands for, or undefined when it is none. */
export function idpErrorKindOfNextAuth(code: string): IdpErrorKind | undefined {
  return Object.hasOwn(NEXT_AUTH_CODES, code) ? NEXT_AUTH_CODES[code] : undefined;
}
