// One mapping from whatever the API server (or the network) said to the portal's error shape
// `{ error: { code, message, details? } }`. No I/O, unit-tested in errors.test.ts. Every upstream answer that was
// not a success passes through mapApiError, so that is where portal_upstream_errors_total counts them.
//
// The upstream text is kept because it is the API server's reason (a 409 from KubeVirt, a quota refusal), but it is
// scrubbed first: an upstream body or exception can echo headers, bearer tokens or certificates.
import type { ErrorResponse, PortalErrorCode } from '../shared/error-body';
import { transportErrorLabels, upstreamAnswerLabels } from '../metrics/error-labels';
import { countUpstreamError } from '../metrics/registry';

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: PortalErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): ErrorResponse {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

// What the portal was doing, so a 403 can say which verb on which resource was denied.
export interface RequestContext {
  verb: string;
  resource: string; // e.g. "virtualmachines/start" or "virtualmachines.kubevirt.io"
  namespace?: string;
  name?: string;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

interface K8sStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
}

const MAX_MESSAGE = 600;

const SECRET_NAMES = 'access_token|id_token|refresh_token|client_secret|token|password|passwd|secret';

// Removes anything that looks like a credential and bounds the length.
export function scrub(text: string): string {
  return text
    .replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[redacted]')
    .replace(/\b(authorization|proxy-authorization|cookie|set-cookie|impersonate-[a-z-]+|x-remote-[a-z-]+)\s*[:=]\s*[^\n,;]*/gi, '$1: [redacted]')
    .replace(/\bbearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\bbasic\s+[A-Za-z0-9+/=]{8,}/gi, 'Basic [redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(\.[A-Za-z0-9_-]*)?/g, '[redacted-token]')
    .replace(new RegExp(`\\b(${SECRET_NAMES})=[^&\\s,;]+`, 'gi'), '$1=[redacted]')
    .replace(new RegExp(`("(${SECRET_NAMES})"\\s*:\\s*)"[^"]*"`, 'gi'), '$1"[redacted]"')
    .replace(/\b(https?:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@')
    .slice(0, MAX_MESSAGE)
    .trim();
}

// An upstream body that is not the API server's own words (an HTML page of a proxy or load balancer) says nothing
// useful to a user and may carry the proxy's internals; only its status is kept.
function upstreamText(status: K8sStatus | undefined, body: unknown, httpStatus: number): string {
  if (status?.message) return scrub(status.message);
  if (typeof body !== 'string' || /^\s*</.test(body)) return `HTTP ${httpStatus}`;
  return scrub(body) || `HTTP ${httpStatus}`;
}

function parseStatus(body: unknown): K8sStatus | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object' && (value as K8sStatus).kind === 'Status') return value as K8sStatus;
  return undefined;
}

// "exceeded quota: team-quota, requested: requests.memory=2Gi, used: requests.memory=1Gi, limited: requests.memory=2Gi"
export function parseQuotaMessage(message: string): Record<string, unknown> | undefined {
  const m = /exceeded quota: ([^,]+), requested: (.*?), used: (.*?), limited: (.*)$/.exec(message);
  if (!m) {
    const limitOnly = /forbidden: (failed quota|maximum|minimum)[^]*$/i.exec(message);
    return limitOnly ? { limit: scrub(limitOnly[0].replace(/^forbidden: /, '')) } : undefined;
  }
  const pairs = (s: string) =>
    Object.fromEntries(
      s.split(',').map((p) => {
        const [k, ...v] = p.trim().split('=');
        return [k ?? '', v.join('=')];
      }),
    );
  const requested = pairs(m[2]!);
  return {
    quota: m[1]!.trim(),
    resources: Object.keys(requested),
    requested,
    used: pairs(m[3]!),
    limited: pairs(m[4]!),
  };
}

function causesOf(status: K8sStatus): StatusCause[] | undefined {
  const causes = status.details?.causes;
  if (!causes?.length) return undefined;
  return causes.map((c) => ({
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.field ? { field: c.field } : {}),
    ...(c.message ? { message: scrub(c.message) } : {}),
  }));
}

function where(ctx: RequestContext | undefined): string {
  if (!ctx) return '';
  const target = ctx.name ? ` "${ctx.name}"` : '';
  return `${ctx.resource}${target}${ctx.namespace ? ` in namespace "${ctx.namespace}"` : ''}`;
}

// Maps an HTTP response of the API server (status code + body, JSON Status or plain text) to a PortalError.
export function mapApiError(httpStatus: number, body: unknown, ctx?: RequestContext): PortalError {
  const status = parseStatus(body);
  countUpstreamError(upstreamAnswerLabels(httpStatus, status?.reason));
  const upstream = upstreamText(status, body, httpStatus);
  const base: Record<string, unknown> = { upstreamStatus: httpStatus, reason: upstream };
  // The API server's reasons are CamelCase words (Forbidden, Expired); anything else is not passed on.
  if (status?.reason && /^[A-Za-z]{1,64}$/.test(status.reason)) base.upstreamReason = status.reason;
  if (ctx) Object.assign(base, { verb: ctx.verb, resource: ctx.resource, namespace: ctx.namespace, name: ctx.name });

  switch (httpStatus) {
    case 401:
      // kube-apiserver's 401 means the credential was refused; virt-api's own authorizer also answers 401, with a
      // plain-text reason, when it denies a subresource: that is a denial, not a sign-in problem.
      if (!status && upstream && !/^Unauthorized$/i.test(upstream) && ctx) {
        return new PortalError(403, 'forbidden', `Not allowed to ${ctx.verb} ${where(ctx)}: ${upstream}`, base);
      }
      return new PortalError(401, 'unauthenticated', 'Your session is no longer accepted by the cluster; sign in again.', base);
    case 403: {
      const quota = parseQuotaMessage(upstream);
      if (quota) {
        const which = quota.resources ? `${(quota.resources as string[]).join(', ')} (quota ${String(quota.quota)})` : String(quota.limit);
        return new PortalError(403, 'quota_exceeded', `Quota exceeded: ${which}. ${upstream}`, { ...base, ...quota });
      }
      const isRbac = /cannot [a-z]+ resource/.test(upstream);
      const message = ctx
        ? isRbac
          ? `Not allowed to ${ctx.verb} ${where(ctx)}.`
          : `Not allowed to ${ctx.verb} ${where(ctx)}: ${upstream}`
        : upstream;
      return new PortalError(403, 'forbidden', message, base);
    }
    case 404:
      return new PortalError(404, 'not_found', upstream, base);
    case 409: {
      const causes = status ? causesOf(status) : undefined;
      return new PortalError(409, 'conflict', upstream, { ...base, ...(causes ? { causes } : {}) });
    }
    case 422: {
      const causes = status ? causesOf(status) : undefined;
      return new PortalError(422, 'invalid', upstream, { ...base, ...(causes ? { causes } : {}) });
    }
    case 400:
      return new PortalError(400, 'bad_request', upstream, base);
    case 410:
      return new PortalError(410, 'gone', upstream, base);
    case 429:
      return new PortalError(429, 'too_many_requests', upstream, {
        ...base,
        ...(status?.details?.retryAfterSeconds ? { retryAfterSeconds: status.details.retryAfterSeconds } : {}),
      });
    default:
      return new PortalError(httpStatus >= 500 ? 502 : httpStatus, 'upstream_error', upstream, base);
  }
}

/** A request to the API server that got no answer (refused, reset, TLS, timeout): counted, then mapped. */
export function upstreamUnreachable(err: unknown): PortalError {
  countUpstreamError(transportErrorLabels(err));
  return mapTransportError(err);
}

// Network-level failures (refused, TLS, timeouts): say the API server could not be reached, without the raw error.
export function mapTransportError(err: unknown): PortalError {
  const code = (err as { code?: string })?.code;
  return new PortalError(502, 'api_unreachable', 'The Kubernetes API server could not be reached.', code ? { cause: code } : undefined);
}

/** A network-level failure (a Node error code), as opposed to a bug or an answer. */
export function isTransportError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return Boolean(code) && /^E[A-Z]+|^ERR_|CERT|UNABLE_TO/.test(String(code));
}

export function toPortalError(err: unknown): PortalError {
  if (err instanceof PortalError) return err;
  if (isTransportError(err)) return mapTransportError(err);
  return new PortalError(500, 'internal', 'Something went wrong in the portal.');
}
