'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { CreateVmLink } from '../vms/CreateVmLink';
import { LiveIndicator } from '../vms/LiveIndicator';
import { useCreateAccess } from '../vms/use-access';
import { useNamespaces } from '../vms/use-namespaces';
import { namespaceHref, QuotaPanel, useQuotaUsage } from './QuotaPanel';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// /namespaces/<name>: what a team's namespace may still hold, for the people who work in it. The other namespaces
// they work in are a link away.
export function NamespaceView({ namespace }: { namespace: string }) {
  const t = useT();
  const usage = useQuotaUsage(namespace);
  const namespaces = useNamespaces();
  const others = (namespaces.data?.namespaces ?? []).filter((n) => n !== namespace);
  const creatable = useCreateAccess([namespace]);
  return (
    <div className="flex flex-col gap-4 p-4" data-testid="namespace-page" data-namespace={namespace}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{interpolate(t('quota.page.title'), { namespace: <Data>{namespace}</Data> })}</h1>
        <Link href="/vms" className="text-sm text-sky-700 hover:underline">
          {t('common.back')}
        </Link>
        <LiveIndicator status={usage.live} shown={usage.isSuccess} />
        {creatable.allowedIn(namespace) ? <CreateVmLink query={{ namespace }} /> : null}
      </div>
      <p className="max-w-3xl text-sm text-slate-700">{t('quota.page.intro')}</p>
      <QuotaPanel namespace={namespace} />
      {others.length ? (
        <nav aria-label={t('quota.page.others')} className="text-sm">
          <span className="text-slate-600">{t('quota.page.others')}: </span>
          {others.slice(0, 50).map((n, i) => (
            <span key={n}>
              {i ? ', ' : ''}
              <Link href={namespaceHref(n)} className="text-sky-700 hover:underline" translate="no">
                {n}
              </Link>
            </span>
          ))}
        </nav>
      ) : null}
    </div>
  );
}
