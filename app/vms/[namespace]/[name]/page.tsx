import { notFound } from 'next/navigation';
import { AppShell } from '@/components/shell/AppShell';
import { VmDetailView } from '@/components/vms/VmDetailView';
import { vmPageParams } from '@/lib/api/path-params';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function VmDetailPage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const p = vmPageParams(await params);
  if (!p) notFound();
  const user = await requireUser(`/vms/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.name)}`);
  return (
    <AppShell user={user}>
      <VmDetailView namespace={p.namespace} name={p.name} />
    </AppShell>
  );
}
