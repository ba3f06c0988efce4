import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell } from '@/components/shell/AppShell';
import { VncWindow } from '@/components/consoles/vnc/VncWindow';
import { vmPageParams } from '@/lib/api/path-params';
import { requireUser } from '@/lib/auth/page-guard';
import { serverT } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ namespace: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const p = vmPageParams(await params);
  const { t } = await serverT();
  return { title: p ? `${t('vnc.page.title', { namespace: p.namespace, name: p.name })} · ${t('app.title')}` : t('app.title') };
}

// The VNC console on a page of its own, filling the window below the portal's header.
export default async function VncPage({ params }: Params) {
  const p = vmPageParams(await params);
  if (!p) notFound();
  const user = await requireUser(`/vms/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.name)}/vnc`);
  return (
    <AppShell user={user}>
      <VncWindow namespace={p.namespace} name={p.name} />
    </AppShell>
  );
}
