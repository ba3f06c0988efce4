import type { IncomingHttpHeaders } from 'node:http';
import { bodyTooLarge, declaredLengthTooLarge, MAX_BODY_BYTES } from '../api/request-body';
import { PortalError } from '../k8s/errors';
import type { ErrorResponse } from '../shared/error-body';

// Requests server.ts answers itself, before Next: a path whose percent-encoding does not decode (/vms/%E0/x),
// which Next would otherwise turn into an exception inside routing; an API path with a dot segment (/api/vms/a/..,
// also percent-encoded), which Next would resolve to another path and answer with a redirect or its HTML 404 page
// instead of the API's error shape; and a body declared larger than any route accepts (next-auth's endpoints
// included). Routes still count the bytes of bodies that declare no length.

export interface EdgeRefusal {
  status: number;
  body: ErrorResponse;
}

function pathDecodes(path: string): boolean {
  try {
    for (const segment of path.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => {
    const decoded = decodeURIComponent(segment);
    return decoded === '.' || decoded === '..';
  });
}

export function refuseAtEdge(req: { url?: string; headers: IncomingHttpHeaders }): EdgeRefusal | undefined {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const refuse = (e: PortalError): EdgeRefusal => ({ status: e.status, body: e.toBody() });
  if (!pathDecodes(path)) return refuse(new PortalError(400, 'bad_request', 'The request path is not valid percent-encoding.'));
  if (path.startsWith('/api/') && hasDotSegment(path)) return refuse(new PortalError(400, 'bad_request', 'The request path has a "." or ".." segment.'));
  if (declaredLengthTooLarge(req.headers['content-length'], MAX_BODY_BYTES)) return refuse(bodyTooLarge(MAX_BODY_BYTES));
  return undefined;
}
