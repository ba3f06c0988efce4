import 'server-only';
import { ZodError } from 'zod';
import { PortalError, toPortalError } from '../k8s/errors';

// What any failure inside a route becomes: a PortalError with the status the caller should see. Input the route
// refused (a schema's verdict on a body, query or path segment) is the caller's 400; only the unexpected is a 500.
export function toRouteError(err: unknown): PortalError {
  if (err instanceof ZodError) {
    return new PortalError(400, 'bad_request', 'The request is not valid.', { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return toPortalError(err);
}
