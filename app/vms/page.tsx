import { AppShell } from '@/components/shell/AppShell';
import { VmListView } from '@/components/vms/VmListView';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function VmListPage() {
  const user = await requireUser('/vms');
  return (
    <AppShell user={user}>
      <VmListView />
    </AppShell>
  );
}
