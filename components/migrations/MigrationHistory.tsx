'use client';
import { useI18n } from '../i18n/I18nProvider';
import { formatDuration, RESULT_KEYS, RESULT_TONE } from './text';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data } from '@/lib/i18n/interpolate';
import { migrationDurationMs, type MigrationTimeline } from '@/lib/kubevirt/migrations';

export function Nodes({ tl }: { tl: MigrationTimeline }) {
  return (
    <Data className="font-mono">
      {tl.sourceNode ?? '—'} → {tl.targetNode ?? tl.requestedNode ?? '—'}
    </Data>
  );
}

// A VM's finished migrations, newest first: when each started and ended, how long it took, how it ended, and
// between which nodes.
export function MigrationHistory({ past }: { past: MigrationTimeline[] }) {
  const { t, locale } = useI18n();
  return (
    <section className="rounded border border-slate-200 bg-white p-4" data-testid="migration-history" data-count={past.length}>
      <h2 className="mb-2 font-semibold">{t('migration.history.title')}</h2>
      {past.length === 0 ? (
        <p className="text-sm text-slate-500">{t('migration.history.none')}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              {(['migration.col.started', 'migration.col.ended', 'migration.col.duration', 'migration.col.result', 'migration.col.nodes', 'migration.col.name'] as const).map((k) => (
                <th key={k} className="py-1 pr-3 font-medium">
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {past.map((tl) => (
              <tr key={tl.name} className="border-b border-slate-100 align-top" data-testid="migration-history-row" data-name={tl.name} data-result={tl.result}>
                <td className="py-1 pr-3">{formatTimestamp(tl.startedAt, locale)}</td>
                <td className="py-1 pr-3">{formatTimestamp(tl.endedAt, locale)}</td>
                <td className="py-1 pr-3">{formatDuration(migrationDurationMs(tl, Date.now()), t)}</td>
                <td className="py-1 pr-3">
                  <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${RESULT_TONE[tl.result]}`} title={tl.failureReason}>
                    {t(RESULT_KEYS[tl.result])}
                  </span>
                </td>
                <td className="py-1 pr-3">
                  <Nodes tl={tl} />
                </td>
                <td className="py-1 pr-3">
                  <Data className="font-mono text-xs text-slate-500">{tl.name}</Data>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
