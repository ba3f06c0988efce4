import { AppShell } from '@/components/shell/AppShell';
import { VmDetailView } from '@/components/vms/VmDetailView';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function VmDetailPage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const user = await requireUser(`/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`);
  return (
    <AppShell user={user}>
      <VmDetailView namespace={decodeURIComponent(namespace)} name={decodeURIComponent(name)} />
    </AppShell>
  );
}
