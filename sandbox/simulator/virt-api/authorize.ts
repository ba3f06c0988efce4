// virt-api's own authorization (pkg/virt-api/rest/authorizer.go): after the aggregator has authorized the request,
// virt-api asks again with a SubjectAccessReview for the identity the aggregator forwarded. A denial is answered
// 401 with the review's reason as plain text; a failing review is a bare 500.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeClient } from '../kube/client.ts';
import type { SubresourcePath } from './request.ts';
import type { Caller } from './server.ts';
import { writePlain } from './status.ts';

export type Decision = { allowed: true } | { allowed: false; code: 401 | 500; reason: string };

export interface SubjectAccessReview {
  apiVersion: 'authorization.k8s.io/v1';
  kind: 'SubjectAccessReview';
  spec: {
    user: string;
    groups: string[];
    extra: Record<string, string[]>;
    resourceAttributes: {
      namespace: string;
      verb: string;
      group: string;
      version: string;
      resource: string;
      subresource: string;
      name: string;
    };
  };
}

/** mapHttpVerbToRbacVerb: GET/HEAD → get (list without a name), PUT → update, POST → create, PATCH → patch, DELETE → delete. */
export function rbacVerb(method: string, name: string): string | undefined {
  switch (method.toUpperCase()) {
    case 'POST':
      return 'create';
    case 'GET':
    case 'HEAD':
      return name ? 'get' : 'list';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/**
 * The review virt-api sends, or the reason it refuses to build one (which virt-api answers as a 401 too).
 * The group and version come from the path (`subresources.kubevirt.io`, `v1` or `v1alpha3`); the subresource is
 * the first segment after the name, so `vnc/screenshot` is authorized as `vnc`.
 */
export function accessReviewFor(caller: Caller, method: string, path: SubresourcePath): SubjectAccessReview | { error: string } {
  if (!caller.user) return { error: 'a valid user header is required for authorization' };
  if (caller.groups.length === 0) return { error: 'a valid group header is required for authorization' };
  const verb = rbacVerb(method, path.name);
  if (!verb) return { error: `unknown http verb in request: ${method}` };
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(caller.extra)) extra[k.toLowerCase()] = v;
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: caller.user,
      groups: caller.groups,
      extra,
      resourceAttributes: {
        namespace: path.namespace,
        verb,
        group: path.group,
        version: path.version,
        resource: path.resource,
        subresource: path.authSubresource,
        name: path.name,
      },
    },
  };
}

type SarClient = Pick<KubeClient, 'create'>;

export async function authorize(kube: SarClient, caller: Caller, method: string, path: SubresourcePath): Promise<Decision> {
  const review = accessReviewFor(caller, method, path);
  if ('error' in review) return { allowed: false, code: 401, reason: review.error };
  let result: { status?: { allowed?: boolean; reason?: string } };
  try {
    result = await kube.create('/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
  } catch {
    return { allowed: false, code: 500, reason: '' };
  }
  if (result.status?.allowed) return { allowed: true };
  return { allowed: false, code: 401, reason: result.status?.reason ?? '' };
}

/** resp.WriteErrorString(401, reason), or resp.WriteHeader(500) with no body when the review itself failed. */
export function writeDenial(res: ServerResponse, d: Exclude<Decision, { allowed: true }>) {
  if (d.code === 500) {
    res.writeHead(500, { 'content-length': 0 });
    res.end();
    return;
  }
  writePlain(res, 401, d.reason);
}

/** The same answer on a raw socket, before a websocket upgrade. */
export function writeDenialRaw(socket: Duplex, d: Exclude<Decision, { allowed: true }>) {
  if (d.code === 500) {
    socket.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    return;
  }
  const body = Buffer.from(d.reason, 'utf8');
  socket.end(
    `HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${d.reason}`,
  );
}
