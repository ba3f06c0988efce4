'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorPanel } from '../vms/ErrorPanel';
import { LiveIndicator } from '../vms/LiveIndicator';
import { useNow } from '../vms/use-now';
import { Nodes } from './MigrationHistory';
import { seesAny } from './scope';
import { formatDuration, phaseLabel, RESULT_KEYS, RESULT_TONE } from './text';
import { useMigrationScope } from './use-migration-scope';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data } from '@/lib/i18n/interpolate';
import { useLiveList } from '@/lib/live/use-live-list';
import { migrationDurationMs, migrationTimeline, newestFirst } from '@/lib/kubevirt/migrations';
import type { VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';

// Every live migration the user may see, newest first: cluster-wide for an admin (one watch), else in each namespace
// where an access review allows listing them. Live, like the VM list.
export function MigrationsPageView() {
  const { t, locale } = useI18n();
  const { scope, isPending, error, refetch } = useMigrationScope();
  const visible = seesAny(scope);
  const list = useLiveList<VirtualMachineInstanceMigration>('virtualmachineinstancemigrations', {
    namespaces: scope?.clusterWide ? undefined : scope?.namespaces,
    enabled: visible,
  });
  const rows = useMemo(() => newestFirst(list.items).map((m) => migrationTimeline(m)), [list.items]);
  const now = useNow(rows.some((r) => !r.finished) ? 1000 : 30_000);
  const failure = error ?? list.error;

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-4" data-testid="migrations-page" data-scope={scope ? (scope.clusterWide ? 'cluster' : 'namespaces') : ''}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t('migration.page.title')}</h1>
        {scope && visible ? (
          <span className="text-sm text-slate-600">{scope.clusterWide ? t('migration.page.all') : t('migration.page.some', { count: scope.namespaces.length })}</span>
        ) : null}
        {list.isSuccess ? (
          <span className="text-sm text-slate-600" data-testid="migrations-count">
            {t('migration.page.count', { count: rows.length })}
          </span>
        ) : null}
        <LiveIndicator status={list.live} shown={list.isSuccess} />
      </div>
      {failure ? (
        <ErrorPanel error={failure} onRetry={error ? refetch : () => void list.refetch()} />
      ) : isPending || (visible && list.isPending) ? (
        <p className="p-4 text-slate-600">{t('common.loading')}</p>
      ) : !visible ? (
        <p className="p-4 text-slate-600" data-testid="migrations-forbidden">
          {t('migration.page.forbidden')}
        </p>
      ) : rows.length === 0 ? (
        <p className="p-4 text-slate-600" data-testid="migrations-empty">
          {t('migration.page.none')}
        </p>
      ) : (
        <div className="overflow-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="migrations-table">
            <thead className="sticky top-0 bg-white">
              <tr className="border-b border-slate-200 text-slate-500">
                {(['migration.col.vm', 'migration.col.namespace', 'migration.col.phase', 'migration.col.nodes', 'migration.col.started', 'migration.col.duration', 'migration.col.name'] as const).map((k) => (
                  <th key={k} className="px-3 py-2 font-medium">
                    {t(k)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((tl) => {
                const result = tl.cancelling ? 'cancelling' : tl.result;
                return (
                  <tr key={`${tl.namespace}/${tl.name}`} className="border-b border-slate-100 align-top" data-testid="migration-row" data-namespace={tl.namespace} data-name={tl.name} data-phase={tl.phase}>
                    <td className="px-3 py-1.5">
                      <Link href={`/vms/${encodeURIComponent(tl.namespace)}/${encodeURIComponent(tl.vmiName)}`} className="text-sky-700 hover:underline" translate="no">
                        {tl.vmiName}
                      </Link>
                    </td>
                    <td className="px-3 py-1.5">
                      <Data>{tl.namespace}</Data>
                    </td>
                    <td className="px-3 py-1.5">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${RESULT_TONE[result]}`} title={tl.failureReason}>
                        {tl.finished || tl.cancelling ? t(RESULT_KEYS[result]) : phaseLabel(tl.phase, t)}
                      </span>
                    </td>
                    <td className="px-3 py-1.5">
                      <Nodes tl={tl} />
                    </td>
                    <td className="px-3 py-1.5">{formatTimestamp(tl.startedAt, locale)}</td>
                    <td className="px-3 py-1.5">{formatDuration(migrationDurationMs(tl, now), t)}</td>
                    <td className="px-3 py-1.5">
                      <Data className="font-mono text-xs text-slate-500">{tl.name}</Data>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
