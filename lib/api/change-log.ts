import 'server-only';
import type { K8sIdentity } from '../k8s/identity';
import { toRouteError } from './route-error';
import { log } from '../log';

// One structured log line per change a user makes through the portal: who (the Kubernetes identity the call was
// made as), what (an action id), which object, and the result. The API server's audit log records each request;
// this records the portal's intent, with the request id that ties the two and the route's own log lines together.

export interface ChangeTarget {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Change {
  action: string;
  target: ChangeTarget;
  // A few words more (the part edited, a node, a count); never tokens, bodies or upstream text.
  details?: Record<string, string | number | boolean>;
}

interface Who {
  requestId: string;
  client: { identity: K8sIdentity };
}

export type ChangeResult = 'succeeded' | 'refused' | 'failed';

export function changeFields(who: Who, change: Change, result: ChangeResult, error?: { status: number; code: string }): Record<string, unknown> {
  const { target } = change;
  return {
    requestId: who.requestId,
    user: who.client.identity.username,
    groups: who.client.identity.groups,
    action: change.action,
    kind: target.kind,
    ...(target.namespace ? { namespace: target.namespace } : {}),
    name: target.name,
    result,
    ...(error ? { status: error.status, code: error.code } : {}),
    ...change.details,
  };
}

export function logChange(who: Who, change: Change, outcome: { error?: unknown } = {}): void {
  if (outcome.error === undefined) {
    log('info', 'change', changeFields(who, change, 'succeeded'));
    return;
  }
  const e = toRouteError(outcome.error);
  // A refusal (the API server's or the portal's 4xx) is the system working; a 5xx is worth a look.
  const result: ChangeResult = e.status < 500 ? 'refused' : 'failed';
  log(result === 'failed' ? 'warn' : 'info', 'change', changeFields(who, change, result, { status: e.status, code: e.code }));
}

// Runs a change and logs its result either way; the error is passed on untouched.
export async function recordChange<T>(who: Who, change: Change, run: () => Promise<T>): Promise<T> {
  try {
    const value = await run();
    logChange(who, change);
    return value;
  } catch (error) {
    logChange(who, change, { error });
    throw error;
  }
}
