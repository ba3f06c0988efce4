import { notFound } from 'next/navigation';
import { AppShell } from '@/components/shell/AppShell';
import { NamespaceView } from '@/components/quota/NamespaceView';
import { decodeSegment } from '@/lib/api/path-params';
import { requireUser } from '@/lib/auth/page-guard';
import { namespaceName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

// A namespace's quota and usage. Who may read them is the API server's answer to the live list (the panel says so
// when it is no); a segment that cannot be a namespace is no page at all.
export default async function NamespacePage({ params }: { params: Promise<{ namespace: string }> }) {
  const raw = decodeSegment((await params).namespace);
  const ns = raw === undefined ? undefined : namespaceName.safeParse(raw);
  if (!ns?.success) notFound();
  const user = await requireUser(`/namespaces/${encodeURIComponent(ns.data)}`);
  return (
    <AppShell user={user}>
      <NamespaceView namespace={ns.data} />
    </AppShell>
  );
}
