import 'server-only';
import type { K8sClient } from '../k8s/client';
import { reviewAccess } from '../k8s/access';
import { clientFor } from '../k8s/client';
import { PortalError } from '../k8s/errors';
import { currentIdentity } from '../auth/identity';
import { log } from '../log';
import type { AdminGate } from '../admin/gates';

// The admin pages and routes ask their own access review, so each stands alone whatever frame is around it: a route
// refuses with 403 before it reads anything, a page shows "not allowed" instead of its view.

export async function requireGate(client: K8sClient, gate: AdminGate): Promise<void> {
  const r = await reviewAccess(client, gate.check);
  if (r.allowed) return;
  throw new PortalError(403, 'forbidden', `Not allowed to ${gate.check.verb} ${gate.resource} in ${gate.scope}.`, {
    verb: gate.check.verb,
    resource: gate.resource,
    reason: r.reason || `RBAC does not allow ${gate.check.verb} ${gate.resource} in ${gate.scope}`,
  });
}

export type PageGate = { state: 'allowed' } | { state: 'denied'; reason?: string } | { state: 'failed' };

/** For a page: the signed-in user's answer (requireUser has already sent anyone else to sign in). */
export async function pageGate(gate: AdminGate): Promise<PageGate> {
  const who = await currentIdentity();
  if (!who.ok) return { state: 'failed' };
  try {
    const r = await reviewAccess(await clientFor(who.identity), gate.check);
    return r.allowed ? { state: 'allowed' } : { state: 'denied', ...(r.reason ? { reason: r.reason } : {}) };
  } catch (err) {
    log('warn', 'admin page access review failed', { resource: gate.resource, error: (err as Error)?.message });
    return { state: 'failed' };
  }
}
