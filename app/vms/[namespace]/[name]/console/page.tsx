import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SerialConsoleLoader } from '@/components/consoles/SerialConsoleLoader';
import { vmPageParams } from '@/lib/api/path-params';
import { requireUser } from '@/lib/auth/page-guard';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { serverT } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ namespace: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const p = vmPageParams(await params);
  const { t } = await serverT();
  return { title: p ? t('console.pageTitle', { vm: `${p.namespace}/${p.name}` }) : t('app.title') };
}

// A VM's serial console in a window of its own (the VM page's Console tab links here): the console fills the window.
export default async function VmConsolePage({ params }: Params) {
  const p = vmPageParams(await params);
  if (!p) notFound();
  const vmPath = `/vms/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.name)}`;
  await requireUser(`${vmPath}/console`);
  const { t } = await serverT();
  return (
    <div className="flex h-screen flex-col bg-slate-900 text-slate-100">
      <header className="flex flex-wrap items-center gap-4 px-3 py-1.5">
        <Link href={vmPath} className="text-sm text-sky-300 hover:underline">
          ← {t('console.backToVm')}
        </Link>
        <h1 className="text-sm font-medium">{interpolate(t('console.pageHeading'), { vm: <Data>{`${p.namespace}/${p.name}`}</Data> })}</h1>
      </header>
      <main id="main" className="flex min-h-0 flex-1 flex-col px-1 pb-1">
        <SerialConsoleLoader namespace={p.namespace} name={p.name} className="flex-1" />
      </main>
    </div>
  );
}
