// A stand-in for KubeClient in unit tests: objects by path, every call recorded, scripted failures.
import { ApiError, type KubeClient, type PatchType } from '../kube/client.ts';
import type { KubeLike } from './context.ts';

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  type?: PatchType;
}

export class FakeKube implements KubeLike {
  readonly objects = new Map<string, unknown>();
  readonly calls: Call[] = [];
  /** Errors to throw for a path prefix + method, e.g. `PATCH /apis/…/status`. */
  readonly failures = new Map<string, ApiError>();
  /** The answer to SubjectAccessReviews. */
  review: (body: unknown) => unknown = () => ({ status: { allowed: true } });

  private fail(method: string, path: string) {
    for (const [k, e] of this.failures) if (`${method} ${path}`.startsWith(k)) throw e;
  }

  get = (async (path: string) => {
    this.calls.push({ method: 'GET', path });
    this.fail('GET', path);
    const base = path.split('?')[0]!;
    if (!this.objects.has(base)) throw new ApiError(404, JSON.stringify({ kind: 'Status', message: 'not found', code: 404 }), `GET ${path}`);
    return structuredClone(this.objects.get(base));
  }) as KubeClient['get'];

  create = (async (path: string, body: unknown) => {
    this.calls.push({ method: 'POST', path, body });
    this.fail('POST', path);
    if (path.endsWith('/subjectaccessreviews')) return this.review(body);
    return body;
  }) as KubeClient['create'];

  patch = (async (path: string, body: unknown, type: PatchType = 'merge') => {
    this.calls.push({ method: 'PATCH', path, body, type });
    this.fail('PATCH', path);
    return {};
  }) as KubeClient['patch'];

  delete = (async (path: string, body?: unknown) => {
    this.calls.push({ method: 'DELETE', path, body });
    this.fail('DELETE', path);
  }) as KubeClient['delete'];

  callsOf(method: Call['method']) {
    return this.calls.filter((c) => c.method === method);
  }
}

export const statusBody = (message: string, code: number) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
