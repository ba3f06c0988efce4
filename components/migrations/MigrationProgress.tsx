'use client';
import { useT } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { useMigrationProgress } from './use-migration-progress';
import { percentDone } from './text';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { formatBytes } from '@/lib/kubevirt/quantity';
import type { MigrationTimeline } from '@/lib/kubevirt/migrations';

// Data moves from PreparingTarget on; before that there is nothing to measure.
const MOVING: ReadonlySet<string> = new Set(['PreparingTarget', 'TargetReady', 'Running']);

// Data transferred and remaining of a running migration, with a bar when both are known; what the cluster does not
// expose is said, not left as a spinner.
export function MigrationProgress({ tl }: { tl: MigrationTimeline }) {
  const t = useT();
  const polling = !tl.finished && MOVING.has(tl.phase);
  const q = useMigrationProgress(tl.namespace, tl.vmiName, polling);
  const data = q.data;

  let state: string;
  let body: React.ReactNode;
  if (!polling && !data) {
    state = 'waiting';
    body = t('migration.progress.noData');
  } else if (q.error && !data) {
    state = 'error';
    const { summary, reason } = describeError(q.error, t);
    body = interpolate(t('migration.progress.failed'), { reason: reason ? <Data>{reason}</Data> : summary });
  } else if (!data) {
    state = 'loading';
    body = t('common.loading');
  } else if (!data.available) {
    state = data.reason;
    body = t(data.reason === 'not-configured' ? 'migration.progress.notExposed' : data.reason === 'unreachable' ? 'migration.progress.unreachable' : 'migration.progress.noData');
  } else {
    state = 'available';
    const pct = percentDone(data.processedBytes, data.remainingBytes);
    body = (
      <>
        {pct !== undefined ? (
          <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={t('migration.progress.title')} className="mb-1 h-2 w-full overflow-hidden rounded bg-slate-200">
            <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${pct}%` }} />
          </div>
        ) : null}
        <span>
          {t('migration.progress.figures', { processed: formatBytes(data.processedBytes), remaining: formatBytes(data.remainingBytes) })}
          {pct !== undefined ? ` (${pct}%)` : ''}
        </span>
        {data.dirtyRateBytes !== undefined ? <span className="block text-xs text-slate-500">{t('migration.progress.dirtyRate', { rate: formatBytes(data.dirtyRateBytes) })}</span> : null}
      </>
    );
  }
  return (
    <div className="text-sm" data-testid="migration-progress" data-state={state}>
      {body}
    </div>
  );
}
