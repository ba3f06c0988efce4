'use client';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { useNow } from '../vms/use-now';
import { MigrationProgress } from './MigrationProgress';
import { formatDuration, formatTime, phaseLabel, RESULT_KEYS, RESULT_TONE } from './text';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { migrationDurationMs, type MigrationTimeline as Timeline, type StepState } from '@/lib/kubevirt/migrations';

const STEP_CLASS: Record<StepState, string> = {
  done: 'border-emerald-600 bg-emerald-600',
  current: 'border-sky-700 bg-sky-700 ring-4 ring-sky-200',
  upcoming: 'border-slate-300 bg-white',
  notReached: 'border-slate-300 bg-slate-100',
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-24 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

// One migration as a timeline: its phases in order with when each began (the current one highlighted), where it
// goes, how long it has taken, the data moved while it runs, and how it ended. `actions`: the Cancel button.
export function MigrationTimeline({ tl, active, actions }: { tl: Timeline; active: boolean; actions?: ReactNode }) {
  const { t, locale } = useI18n();
  const now = useNow(tl.finished ? 60_000 : 1000);
  const result = tl.cancelling ? 'cancelling' : tl.result;
  const target = tl.targetNode ? (
    <Data className="font-mono">{tl.targetNode}</Data>
  ) : tl.requestedNode ? (
    interpolate(t('migration.toRequested'), { node: <Data className="font-mono">{tl.requestedNode}</Data> })
  ) : (
    <span className="text-slate-500">{t('migration.toPending')}</span>
  );

  return (
    <section className="rounded border border-slate-200 bg-white p-4" data-testid="migration-timeline" data-name={tl.name} data-phase={tl.phase} data-result={result}>
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h2 className="font-semibold">{t(active ? 'migration.panel.current' : 'migration.panel.last')}</h2>
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${RESULT_TONE[result]}`} data-testid="migration-phase" data-phase={tl.phase} data-result={result}>
          {tl.finished || tl.cancelling ? t(RESULT_KEYS[result]) : phaseLabel(tl.phase, t)}
        </span>
        <Data className="font-mono text-xs text-slate-500">{tl.name}</Data>
        {actions ? <div className="ml-auto">{actions}</div> : null}
      </div>
      <ol className="mb-4 flex flex-wrap gap-x-1 gap-y-3" aria-label={t('migration.col.phase')}>
        {tl.steps.map((s, i) => (
          <li
            key={s.phase}
            data-testid="migration-step"
            data-phase={s.phase}
            data-state={s.state}
            aria-current={s.state === 'current' ? 'step' : undefined}
            className="flex min-w-[7.5rem] flex-1 flex-col items-start"
          >
            <div className="flex w-full items-center">
              <span className={`h-3 w-3 shrink-0 rounded-full border-2 ${s.phase === 'Failed' && s.state === 'current' ? 'border-red-700 bg-red-700 ring-4 ring-red-200' : STEP_CLASS[s.state]}`} />
              {i < tl.steps.length - 1 ? <span className={`mx-1 h-0.5 flex-1 ${s.state === 'done' ? 'bg-emerald-600' : 'bg-slate-200'}`} /> : null}
            </div>
            <span className={`mt-1 text-xs ${s.state === 'current' ? 'font-semibold text-slate-900' : s.state === 'done' ? 'text-slate-700' : 'text-slate-400'}`}>{phaseLabel(s.phase, t)}</span>
            <span className="text-xs text-slate-500">{formatTime(s.at, locale)}</span>
          </li>
        ))}
      </ol>
      <dl className="grid gap-1 text-sm sm:grid-cols-2">
        <Row label={t('migration.from')}>
          <span data-testid="migration-source">{tl.sourceNode ? <Data className="font-mono">{tl.sourceNode}</Data> : <span className="text-slate-500">—</span>}</span>
        </Row>
        <Row label={t('migration.to')}>
          <span data-testid="migration-target">{target}</span>
        </Row>
        <Row label={t('migration.started')}>{formatTimestamp(tl.startedAt, locale)}</Row>
        <Row label={t(tl.finished ? 'migration.duration' : 'migration.elapsed')}>
          <span data-testid="migration-elapsed">{formatDuration(migrationDurationMs(tl, now), t)}</span>
        </Row>
        {tl.finished ? <Row label={t('migration.ended')}>{formatTimestamp(tl.endedAt, locale)}</Row> : null}
        {tl.mode ? (
          <Row label={t('migration.mode')}>
            <Data>{tl.mode}</Data>
          </Row>
        ) : null}
      </dl>
      {tl.failureReason ? (
        <p className="mt-3 rounded bg-red-50 p-2 text-sm text-red-900" role="status" data-testid="migration-failure">
          <span className="font-medium">{t('migration.failure')}: </span>
          <Data>{tl.failureReason}</Data>
        </p>
      ) : null}
      {!tl.finished ? (
        <div className="mt-3">
          <h3 className="mb-1 text-sm font-medium text-slate-600">{t('migration.progress.title')}</h3>
          <MigrationProgress tl={tl} />
        </div>
      ) : null}
    </section>
  );
}
