import type { K8sRequest } from '../k8s/client';
import { SELF_SUBJECT_ACCESS_REVIEWS_PATH } from '../k8s/api-paths';
import { mapApiError, type PortalError, type RequestContext } from '../k8s/errors';

// For unit tests of route handlers: a signed-in user and a fake Kubernetes client that records every call and
// answers it from `answer`. vi.mock factories run before a test file's own constants, so a file makes one in
// vi.hoisted and hands its modules to vi.mock:
//
//   const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('dev-a'));
//   vi.mock('@/lib/auth/identity', () => k8s.identityModule);
//   vi.mock('@/lib/k8s/client', () => k8s.clientModule);

export type K8sCall = K8sRequest;

// A SelfSubjectAccessReview's question.
export interface ReviewAttributes {
  verb: string;
  group?: string;
  resource: string;
  namespace?: string;
}

export class RecordingK8s {
  // Every call the routes made (access reviews too, unless `allowed` answers them), in order.
  readonly calls: K8sCall[] = [];
  // The access reviews `allowed` answered, in order.
  readonly reviews: ReviewAttributes[] = [];
  // What the API server answers a call (or throws); {} unless a test says otherwise.
  answer: (req: K8sCall) => unknown = () => ({});
  // When set, SelfSubjectAccessReviews are answered from it (by the question and who asks) and kept in `reviews`
  // rather than `calls`; a review that says no carries `denial` as its reason.
  allowed?: (attrs: ReviewAttributes, username: string) => boolean;
  denial?: string;

  constructor(public user: string) {}

  // Forgets the calls and reviews, and answers {} again.
  reset(): void {
    this.calls.length = 0;
    this.reviews.length = 0;
    this.answer = () => ({});
  }

  readonly identityModule = {
    currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: this.user, groups: [], token: 't' }, displayName: this.user }),
  };

  readonly clientModule = {
    clientFor: async (identity: { username: string }) => ({
      identity,
      json: async (req: K8sCall) => {
        if (this.allowed && req.path === SELF_SUBJECT_ACCESS_REVIEWS_PATH) {
          const attrs = (req.body as { spec: { resourceAttributes: ReviewAttributes } }).spec.resourceAttributes;
          this.reviews.push(attrs);
          const allowed = this.allowed(attrs, identity.username);
          return { status: { allowed, ...(allowed || this.denial === undefined ? {} : { reason: this.denial }) } };
        }
        this.calls.push(req);
        return this.answer(req);
      },
    }),
  };
}

export const recordingK8s = (user: string) => new RecordingK8s(user);

// The API server's refusal as the real client throws it: a Status body (with `more` in it, e.g. a reason or details),
// mapped with the context of the call that met it.
export function apiError(code: number, message: string, more: Record<string, unknown> = {}, ctx?: RequestContext): PortalError {
  return mapApiError(code, JSON.stringify({ kind: 'Status', code, ...more, message }), ctx);
}

export const notFound = (message = 'not found', ctx?: RequestContext) => apiError(404, message, { reason: 'NotFound' }, ctx);
export const forbidden = (message: string, ctx?: RequestContext) => apiError(403, message, { reason: 'Forbidden' }, ctx);
export const conflict = (message: string, reason = 'Conflict', ctx?: RequestContext) => apiError(409, message, { reason }, ctx);
