'use client';
import { useT } from '../i18n/I18nProvider';
import { Data } from '@/lib/i18n/interpolate';
import type { DiskProvisioning } from '@/lib/kubevirt/provisioning';

// While a new VM's disks are imported or cloned: one progress bar per disk, and CDI's reason when one failed.
export function VmProvisioning({ disks }: { disks: DiskProvisioning[] }) {
  const t = useT();
  const failed = disks.some((d) => d.state === 'failed');
  return (
    <section aria-labelledby="provisioning-title" data-testid="provisioning" className={`rounded border p-3 ${failed ? 'border-red-300 bg-red-50' : 'border-sky-200 bg-sky-50'}`}>
      <h2 id="provisioning-title" className="mb-2 text-sm font-semibold">
        {failed ? t('provision.failedTitle') : t('provision.title')}
      </h2>
      <ul className="flex flex-col gap-2">
        {disks.map((d) => (
          <li key={d.name} data-testid={`provision-${d.name}`} data-state={d.state}>
            <div className="flex flex-wrap items-baseline gap-2 text-sm">
              <Data>{d.name}</Data>
              <span className="text-slate-600">
                {t('provision.from')} <Data>{d.source}</Data>
              </span>
              <span className="ml-auto font-mono text-xs" data-testid={`provision-${d.name}-phase`}>
                {d.phase}
                {d.percent !== undefined ? ` · ${d.percent.toFixed(d.percent % 1 ? 1 : 0)}%` : ''}
              </span>
            </div>
            <div
              role="progressbar"
              aria-label={t('provision.progressOf', { name: d.name })}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={d.percent}
              aria-valuetext={d.percent !== undefined ? `${d.percent}%` : d.phase}
              className="mt-1 h-1.5 w-full overflow-hidden rounded bg-slate-200"
            >
              <div className={`h-full ${d.state === 'failed' ? 'bg-red-600' : 'bg-sky-600'}`} style={{ width: `${d.percent ?? (d.state === 'waiting' ? 0 : 5)}%` }} />
            </div>
            {d.message ? (
              <p role="alert" className="mt-1 text-sm text-red-800">
                {t('provision.failed', { reason: d.message })}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
