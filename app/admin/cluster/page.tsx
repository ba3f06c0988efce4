import { ClusterPageView } from '@/components/admin/cluster/ClusterPageView';
import { AdminGateFailed, AdminNotAllowed } from '@/components/admin/networks/AdminGate';
import { CLUSTER_GATE } from '@/lib/admin/gates';
import { pageGate } from '@/lib/api/gates';

export const dynamic = 'force-dynamic';

// Inside the admin frame (app/admin/layout.tsx: shell, nav, sign-in and the admin gate); this page checks its own
// permission as well, since it needs a different one.
export default async function ClusterPage() {
  const gate = await pageGate(CLUSTER_GATE);
  return (
    <>
      {gate.state === 'allowed' ? (
        <ClusterPageView />
      ) : gate.state === 'denied' ? (
        <AdminNotAllowed bodyKey="admin.gate.cluster" verb={CLUSTER_GATE.check.verb} resource={CLUSTER_GATE.resource} scope="cluster" reason={gate.reason} />
      ) : (
        <AdminGateFailed />
      )}
    </>
  );
}
