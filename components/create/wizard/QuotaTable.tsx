'use client';
import { useT } from '../../i18n/I18nProvider';
import { amountText } from '../../quota/amount';
import { QuotaBar } from '../../quota/QuotaBar';
import { quotaFigures } from './units';
import { Data } from '@/lib/i18n/interpolate';
import type { quotaImpact } from '@/lib/kubevirt/create/quota-impact';

export type QuotaImpact = ReturnType<typeof quotaImpact>;

// What the VM would take from each quota of the namespace: per quota and resource what it adds, what is used, the
// limit and what is left, with the bar the namespace's quota panel draws (components/quota/). A line that would not
// fit is marked in words, not colour alone.
export function QuotaTable({ impact, quotaCount, warningId }: { impact: QuotaImpact | undefined; quotaCount: number; warningId: string }) {
  const t = useT();
  if (!impact) return <p className="text-sm text-slate-600">{t('create.review.quotaUnknown')}</p>;
  if (!impact.lines.length) return <p className="text-sm text-slate-600" data-testid="quota-none">{quotaCount ? t('create.review.quotaNotLimited') : t('create.review.quotaNone')}</p>;
  return (
    <div className="flex flex-col gap-2">
      {!impact.fits ? (
        <div id={warningId} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="quota-warning">
          <p className="font-semibold">{t('create.review.quotaWarningTitle')}</p>
          <p>{t('create.review.quotaWarning')}</p>
        </div>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="quota-table">
          <caption className="sr-only">{t('create.review.quota')}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.review.quotaName')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.review.quotaResource')}</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaAdds')}</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaUsed')}</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaHard')}</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">{t('create.review.quotaRemaining')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('quota.col.bar')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.review.quotaFits')}</th>
            </tr>
          </thead>
          <tbody>
            {impact.lines.map((l) => {
              const f = quotaFigures(l);
              const a = (n: number) => amountText(t, n, l.unit);
              return (
                <tr key={`${l.quota}/${l.resource}`} className={`border-b border-slate-100 align-top ${l.fits ? '' : 'bg-red-50 text-red-900'}`} data-testid={`quota-${l.quota}-${l.resource}`} data-fits={l.fits}>
                  <td className="py-1 pr-3">
                    <Data>{l.quota}</Data>
                  </td>
                  <td className="py-1 pr-3">
                    <Data className="font-mono text-xs">{l.resource}</Data>
                  </td>
                  <td className="py-1 pr-3 text-right">{a(l.adds)}</td>
                  <td className="py-1 pr-3 text-right">{a(l.used)}</td>
                  <td className="py-1 pr-3 text-right">{a(l.hard)}</td>
                  <td className="py-1 pr-3 text-right">{a(f.remaining)}</td>
                  <td className="w-32 py-1 pr-3 align-middle">
                    <QuotaBar used={l.used} adds={l.adds} hard={l.hard} label={`${l.quota} ${l.resource}`} valueText={t('quota.usedAdds', { used: a(l.used), adds: a(l.adds), hard: a(l.hard) })} />
                  </td>
                  <td className="py-1 pr-3">
                    {l.fits ? (
                      <span className="text-emerald-800">{t('create.review.quotaOk', { after: a(f.after) })}</span>
                    ) : (
                      <span className="font-medium">
                        <span aria-hidden>⚠ </span>
                        {t('create.review.quotaShort', { short: a(f.shortBy) })}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
