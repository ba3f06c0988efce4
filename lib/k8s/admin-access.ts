import 'server-only';
import type { K8sClient } from './client';
import { reviewAll } from './access';
import { PortalError } from './errors';
import { ADMIN_CHECKS, checkResource } from '../admin/access';
import type { AdminAccessResponse } from '../admin/projects';

// Whether the signed-in user may use the admin area: their own SelfSubjectAccessReviews (lib/admin/access.ts),
// cached briefly per user like every review. The pages show "not allowed" and the routes answer 403 on a no, before
// any other request; the API server still decides every call after that.
export async function adminAccess(client: K8sClient): Promise<AdminAccessResponse> {
  const results = await reviewAll(client, [...ADMIN_CHECKS]);
  const no = results.find((r) => !r.allowed);
  if (!no) return { admin: true };
  return { admin: false, denied: { verb: no.verb, resource: checkResource(no), ...(no.reason ? { reason: no.reason } : {}) } };
}

export async function requireAdmin(client: K8sClient): Promise<void> {
  const access = await adminAccess(client);
  if (access.admin) return;
  const d = access.denied!;
  throw new PortalError(403, 'forbidden', `Not allowed to ${d.verb} ${d.resource}: the admin area is for cluster administrators.`, {
    verb: d.verb,
    resource: d.resource,
    ...(d.reason ? { reason: d.reason } : {}),
  });
}
