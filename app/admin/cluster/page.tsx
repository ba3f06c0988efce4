import { AppShell } from '@/components/shell/AppShell';
import { ClusterPageView } from '@/components/admin/cluster/ClusterPageView';
import { AdminGateFailed, AdminNotAllowed } from '@/components/admin/networks/AdminGate';
import { CLUSTER_GATE } from '@/lib/admin/gates';
import { pageGate } from '@/lib/api/gates';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function ClusterPage() {
  const user = await requireUser('/admin/cluster');
  const gate = await pageGate(CLUSTER_GATE);
  return (
    <AppShell user={user}>
      {gate.state === 'allowed' ? (
        <ClusterPageView />
      ) : gate.state === 'denied' ? (
        <AdminNotAllowed bodyKey="admin.gate.cluster" verb={CLUSTER_GATE.check.verb} resource={CLUSTER_GATE.resource} scope="cluster" reason={gate.reason} />
      ) : (
        <AdminGateFailed />
      )}
    </AppShell>
  );
}
