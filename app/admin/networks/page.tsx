import { AdminGateFailed, AdminNotAllowed } from '@/components/admin/networks/AdminGate';
import { NetworksPageView } from '@/components/admin/networks/NetworksPageView';
import { NETWORKS_GATE } from '@/lib/admin/gates';
import { pageGate } from '@/lib/api/gates';

export const dynamic = 'force-dynamic';

// Inside the admin frame (app/admin/layout.tsx: shell, nav, sign-in and the admin gate); this page checks its own
// permission as well, since it needs a different one.
export default async function NetworksPage() {
  const gate = await pageGate(NETWORKS_GATE);
  return (
    <>
      {gate.state === 'allowed' ? (
        <NetworksPageView />
      ) : gate.state === 'denied' ? (
        <AdminNotAllowed bodyKey="admin.gate.networks" verb={NETWORKS_GATE.check.verb} resource={NETWORKS_GATE.resource} scope="all" reason={gate.reason} />
      ) : (
        <AdminGateFailed />
      )}
    </>
  );
}
