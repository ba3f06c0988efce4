// metav1.Status error bodies the way virt-api writes them: apimachinery's errors.NewConflict / NewNotFound /
// NewBadRequest / NewInternalError / NewForbidden, then writeError() stamps kind/apiVersion and answers with the
// status code. Plain-text answers (go-restful's WriteErrorString) are here too.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../kube/client.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A KubeVirt resource as errors name it: `v1.Resource("virtualmachine")` gives virtualmachine.kubevirt.io. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const vmResource: GroupResource = { group: 'kubevirt.io', resource: 'virtualmachine' };
export const vmiResource: GroupResource = { group: 'kubevirt.io', resource: 'virtualmachineinstance' };

const qualified = (r: GroupResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  // Field order as Go marshals metav1.Status: kind, apiVersion, metadata, status, message, reason, details, code.
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const nameDetails = (r: GroupResource, name: string): StatusDetails => ({ name, group: r.group, kind: r.resource });

/** `Operation cannot be fulfilled on virtualmachine.kubevirt.io "x": <why>` (409). */
export function conflict(r: GroupResource, name: string, why: string): Status {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} ${JSON.stringify(name)}: ${why}`, nameDetails(r, name));
}

/** `virtualmachine.kubevirt.io "x" not found` (404). */
export function notFound(r: GroupResource, name: string): Status {
  return status(404, 'NotFound', `${qualified(r)} ${JSON.stringify(name)} not found`, nameDetails(r, name));
}

/** `virtualmachineinstance.kubevirt.io "x" is forbidden: <why>` (403). */
export function forbidden(r: GroupResource, name: string, why: string): Status {
  const message = name ? `${qualified(r)} ${JSON.stringify(name)} is forbidden: ${why}` : `${qualified(r)} is forbidden: ${why}`;
  return status(403, 'Forbidden', message, nameDetails(r, name));
}

/** A bare message with no details (400). */
export function badRequest(message: string): Status {
  return status(400, 'BadRequest', message);
}

/** `Internal error occurred: <err>` with the error as the single cause (500). */
export function internalError(err: string): Status {
  return status(500, 'InternalError', `Internal error occurred: ${err}`, { causes: [{ message: err }] });
}

/** Thrown by handlers to answer with a Status; the route catches it and writes it. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

/** writeError(): HTTP status = Status.code, JSON body. */
export function writeStatus(res: ServerResponse, s: Status) {
  const text = JSON.stringify(s);
  res.writeHead(s.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** go-restful's WriteErrorString / WriteError: the status and the reason as the whole body (Go sniffs text/plain). */
export function writePlain(res: ServerResponse, code: number, text: string) {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * What client-go's error for a failed API call says (err.Error()): the Status message when the server answered
 * with a Status, otherwise the generic text client-go makes up from the code and the body.
 */
export function apiErrorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    try {
      const body = JSON.parse(e.body) as { kind?: string; message?: unknown };
      if (body && body.kind === 'Status' && typeof body.message === 'string') return body.message;
    } catch {
      // not JSON: fall through
    }
    return genericServerMessage(e.status, e.body);
  }
  return e instanceof Error ? e.message : String(e);
}

function genericServerMessage(code: number, body: string): string {
  switch (code) {
    case 409:
      return 'the server reported a conflict';
    case 404:
      return 'the server could not find the requested resource';
    case 400:
      return 'the server rejected our request for an unknown reason';
    case 401:
      return 'the server has asked for the client to provide credentials';
    case 403:
      return body;
    case 422:
      return 'the server rejected our request due to an error in our request';
    case 503:
      return 'the server is currently unable to handle the request';
    default:
      if (code >= 500) return `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`;
      return `the server responded with the status code ${code} but did not return more information`;
  }
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;
