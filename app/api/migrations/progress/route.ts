import { NextResponse } from 'next/server';
import { z } from 'zod';
import { withUser } from '@/lib/api/route';
import { reviewAccess } from '@/lib/k8s/access';
import { PortalError } from '@/lib/k8s/errors';
import { readMigrationProgress } from '@/lib/metrics/migration-progress';
import { settings } from '@/lib/settings';
import { namespaceName, objectName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

const query = z.strictObject({ namespace: namespaceName, name: objectName });

// KubeVirt's transfer figures for one migrating VMI: { available, processedBytes, remainingBytes, dirtyRateBytes }
// or { available: false, reason }. The metrics are read with the portal's own access (lib/metrics), so the user is
// first asked about, as themselves, with a SelfSubjectAccessReview for `get` on that very VMI: someone who may not
// see the VMI learns nothing about it here, not even whether it is migrating. The page polls this once a second
// while a migration runs (metrics have no watch).
export const GET = withUser(async (req, { client }) => {
  const q = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  const review = await reviewAccess(client, { verb: 'get', group: 'kubevirt.io', resource: 'virtualmachineinstances', namespace: q.namespace, name: q.name });
  if (!review.allowed) {
    throw new PortalError(403, 'forbidden', `Not allowed to get virtualmachineinstances.kubevirt.io "${q.name}" in namespace "${q.namespace}".`, {
      verb: 'get',
      resource: 'virtualmachineinstances.kubevirt.io',
      namespace: q.namespace,
      name: q.name,
      ...(review.reason ? { reason: review.reason } : {}),
    });
  }
  const body = await readMigrationProgress(settings().migrationMetrics, q.namespace, q.name);
  return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
});
