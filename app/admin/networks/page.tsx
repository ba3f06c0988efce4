import { AppShell } from '@/components/shell/AppShell';
import { AdminGateFailed, AdminNotAllowed } from '@/components/admin/networks/AdminGate';
import { NetworksPageView } from '@/components/admin/networks/NetworksPageView';
import { NETWORKS_GATE } from '@/lib/admin/gates';
import { pageGate } from '@/lib/api/gates';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function NetworksPage() {
  const user = await requireUser('/admin/networks');
  const gate = await pageGate(NETWORKS_GATE);
  return (
    <AppShell user={user}>
      {gate.state === 'allowed' ? (
        <NetworksPageView />
      ) : gate.state === 'denied' ? (
        <AdminNotAllowed bodyKey="admin.gate.networks" verb={NETWORKS_GATE.check.verb} resource={NETWORKS_GATE.resource} scope="all" reason={gate.reason} />
      ) : (
        <AdminGateFailed />
      )}
    </AppShell>
  );
}
