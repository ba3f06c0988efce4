'use client';
import { useT } from '../i18n/I18nProvider';
import { amountText } from '../quota/amount';
import { Data } from '@/lib/i18n/interpolate';
import { usageLines, usedShare } from '@/lib/admin/projects';
import type { MessageKey } from '@/lib/i18n/locales';
import type { QuotaOption } from '@/lib/shared/create-api';

const LABELS: Record<string, MessageKey> = {
  'count/virtualmachines.kubevirt.io': 'admin.usage.vms',
  'requests.cpu': 'admin.usage.cpu',
  cpu: 'admin.usage.cpu',
  'limits.cpu': 'admin.usage.cpuLimits',
  'requests.memory': 'admin.usage.memory',
  memory: 'admin.usage.memory',
  'limits.memory': 'admin.usage.memoryLimits',
  'requests.storage': 'admin.usage.storage',
  persistentvolumeclaims: 'admin.usage.claims',
};

// Usage against quota as bars: what is used of each limit, in words and as a meter; a full one is said in words,
// not by colour alone. `only` narrows to the resources the list has room for.
export function UsageBars({ quotas, only, compact }: { quotas: QuotaOption[]; only?: readonly string[]; compact?: boolean }) {
  const t = useT();
  const lines = usageLines(quotas).filter((l) => !only || only.includes(l.resource));
  if (!lines.length) return <span className="text-sm text-slate-500">{t('admin.usage.none')}</span>;
  const several = new Set(lines.map((l) => l.quota)).size > 1;
  return (
    <ul className={`flex flex-col ${compact ? 'gap-1' : 'gap-2'}`} data-testid="usage">
      {lines.map((l) => {
        const share = usedShare(l);
        const label = t(LABELS[l.resource] ?? 'admin.usage.other');
        const text = t('admin.usage.of', { used: amountText(t, l.used, l.unit), hard: amountText(t, l.hard, l.unit) });
        const tone = !l.fits ? 'bg-red-600' : share >= 0.8 ? 'bg-amber-500' : 'bg-emerald-600';
        return (
          <li key={`${l.quota}/${l.resource}`} className="text-xs" data-testid={`usage-${l.resource}`} data-used={l.used} data-hard={l.hard}>
            <div className="flex justify-between gap-2">
              <span>
                {label}
                {several ? (
                  <>
                    {' '}
                    <Data className="text-slate-500">({l.quota})</Data>
                  </>
                ) : null}
              </span>
              <span className={l.fits ? 'text-slate-700' : 'font-semibold text-red-800'}>
                {text}
                {l.fits ? null : ` · ${t('admin.usage.full')}`}
              </span>
            </div>
            <div
              role="meter"
              aria-label={label}
              aria-valuemin={0}
              aria-valuemax={l.hard}
              aria-valuenow={Math.min(l.used, l.hard)}
              aria-valuetext={text}
              className="mt-0.5 h-1.5 w-full overflow-hidden rounded bg-slate-200"
            >
              <div className={`h-full ${tone}`} style={{ width: `${Math.round(share * 100)}%` }} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
