'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ErrorPanel } from '../vms/ErrorPanel';
import { amountText, percentText } from './amount';
import { OverheadNote } from './OverheadNote';
import { QuotaBar } from './QuotaBar';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { ApiError } from '@/lib/live/api-client';
import { useLiveList } from '@/lib/live/use-live-list';
import { quotaOption, usageLines, usedShare, type ResourceQuotaLike, type UsageLine } from '@/lib/kubevirt/quota-usage';
import type { KubeObject } from '@/lib/shared/kube-object';

type ResourceQuota = KubeObject & ResourceQuotaLike;

export const namespaceHref = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;

/** A namespace's quota lines, live: they move as VMs start and stop. */
export function useQuotaUsage(namespace: string) {
  const list = useLiveList<ResourceQuota>('resourcequotas', { namespaces: [namespace], enabled: namespace !== '' });
  const lines = useMemo(() => usageLines(list.items.map(quotaOption)), [list.items]);
  return { ...list, lines };
}

function lineLabel(l: UsageLine) {
  return `${l.quota} ${l.resource}`;
}

// The numbers of one line in words: "2.1 cores of 16 cores used (13%)".
function useLineText() {
  const t = useT();
  return (l: UsageLine) => t('quota.usedOf', { used: amountText(t, l.used, l.unit), hard: amountText(t, l.hard, l.unit), percent: percentText(usedShare(l.used, l.hard)) });
}

// A namespace's quotas in plain numbers and bars, for the people who work in it. The full panel is the namespace
// page's; the compact one sits above the VM list when it shows one namespace and links to the full one.
export function QuotaPanel({ namespace, compact = false }: { namespace: string; compact?: boolean }) {
  const t = useT();
  const usage = useQuotaUsage(namespace);

  if (compact) {
    // Quiet when there is nothing to say: no quota, not allowed to read it, or still loading.
    if (!usage.isSuccess || usage.lines.length === 0) return null;
    return <QuotaCompact namespace={namespace} lines={usage.lines} />;
  }

  const forbidden = usage.error instanceof ApiError && usage.error.status === 403;
  return (
    <section aria-labelledby="quota-panel-title" className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4" data-testid="quota-panel" data-namespace={namespace}>
      <h2 id="quota-panel-title" className="text-lg font-semibold">
        {t('quota.title')}
      </h2>
      {forbidden ? (
        <p className="text-sm text-slate-700" data-testid="quota-forbidden">
          {interpolate(t('quota.forbidden'), { namespace: <Data>{namespace}</Data> })}
        </p>
      ) : usage.error ? (
        <ErrorPanel error={usage.error} onRetry={() => void usage.refetch()} />
      ) : usage.isPending ? (
        <p className="text-sm text-slate-600">{t('common.loading')}</p>
      ) : usage.lines.length === 0 ? (
        <p className="text-sm text-slate-700" data-testid="quota-unlimited">
          {interpolate(t('quota.none'), { namespace: <Data>{namespace}</Data> })}
        </p>
      ) : (
        <QuotaLines namespace={namespace} lines={usage.lines} />
      )}
      <OverheadNote />
    </section>
  );
}

/** The compact strip: the first few lines as small bars, and a link to the namespace's page. */
export function QuotaCompact({ namespace, lines }: { namespace: string; lines: UsageLine[] }) {
  const t = useT();
  const text = useLineText();
  return (
    <section aria-label={t('quota.compactLabel', { namespace })} className="flex flex-wrap items-center gap-x-5 gap-y-1 rounded border border-slate-200 bg-white px-3 py-2 text-xs" data-testid="quota-compact" data-namespace={namespace}>
      <span className="font-medium text-slate-700">{interpolate(t('quota.compactTitle'), { namespace: <Data>{namespace}</Data> })}</span>
      {lines.slice(0, 4).map((l) => (
        <span key={`${l.quota}/${l.resource}`} className="flex items-center gap-2" data-testid="quota-compact-line" data-resource={l.resource}>
          <Data className="font-mono text-slate-600">{l.resource}</Data>
          <span className="w-20">
            <QuotaBar used={l.used} hard={l.hard} label={lineLabel(l)} valueText={text(l)} />
          </span>
          <span className="whitespace-nowrap text-slate-700">{t('quota.compactFigures', { used: amountText(t, l.used, l.unit), hard: amountText(t, l.hard, l.unit) })}</span>
        </span>
      ))}
      <Link href={namespaceHref(namespace)} className="ml-auto text-sky-700 hover:underline" data-testid="quota-details-link">
        {t('quota.details')}
      </Link>
    </section>
  );
}

/** Every line of the namespace's quotas: used, limit, left, and a bar with the share. */
export function QuotaLines({ namespace, lines }: { namespace: string; lines: UsageLine[] }) {
  const t = useT();
  const text = useLineText();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="quota-usage-table">
        <caption className="sr-only">{interpolate(t('quota.caption'), { namespace })}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-slate-500">
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.review.quotaName')}</th>
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.review.quotaResource')}</th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaUsed')}</th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaHard')}</th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaRemaining')}</th>
            <th scope="col" className="w-1/4 py-1 pr-3 font-medium">{t('quota.col.bar')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const share = usedShare(l.used, l.hard);
            const over = share > 1;
            return (
              <tr
                key={`${l.quota}/${l.resource}`}
                className={`border-b border-slate-100 align-middle ${over ? 'bg-red-50 text-red-900' : ''}`}
                data-testid="quota-usage-line"
                data-quota={l.quota}
                data-resource={l.resource}
                data-used={l.usedText}
                data-hard={l.hardText}
              >
                <td className="py-1.5 pr-3">
                  <Data>{l.quota}</Data>
                </td>
                <td className="py-1.5 pr-3">
                  <Data className="font-mono text-xs">{l.resource}</Data>
                </td>
                <td className="py-1.5 pr-3 text-right" data-testid="quota-used">
                  {amountText(t, l.used, l.unit)}
                </td>
                <td className="py-1.5 pr-3 text-right" data-testid="quota-hard">
                  {amountText(t, l.hard, l.unit)}
                </td>
                <td className="py-1.5 pr-3 text-right">{amountText(t, l.hard - l.used, l.unit)}</td>
                <td className="py-1.5 pr-3">
                  <div className="flex items-center gap-2">
                    <QuotaBar used={l.used} hard={l.hard} label={lineLabel(l)} valueText={text(l)} />
                    <span className="w-12 text-right text-xs">{percentText(share)}</span>
                    {over ? <span className="text-xs font-medium">{t('quota.over')}</span> : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
