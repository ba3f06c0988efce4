'use client';
import { useT } from '../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { Indication, VolumeExclusion } from '@/lib/kubevirt/snapshots';
import type { MessageKey } from '@/lib/i18n/locales';

// Small pieces the Snapshots tab, its dialogs and the restore banner share.

/** A volume left out of snapshots, with KubeVirt's reason in plain words (and its own words beside them). */
export function ExclusionList({ items, testId = 'excluded-volume' }: { items: readonly VolumeExclusion[]; testId?: string }) {
  const t = useT();
  if (!items.length) return null;
  return (
    <ul className="flex flex-col gap-1">
      {items.map((x) => (
        <li key={x.volume} data-testid={testId} data-volume={x.volume} data-claim={x.claim} className="text-sm">
          {interpolate(t(x.key), Object.fromEntries(Object.entries(x.vars).map(([k, v]) => [k, <Data key={k} className="font-mono">{v}</Data>])))}
          {x.kubevirtReason ? (
            <span className="block text-xs text-slate-500">
              {interpolate(t('snapshot.kubevirtSaid'), { reason: <Data>{x.kubevirtReason}</Data> })}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function VolumeNames({ names, testId }: { names: readonly string[]; testId: string }) {
  const t = useT();
  if (!names.length) return <span className="text-slate-500">{t('common.none')}</span>;
  return (
    <span data-testid={testId}>
      {names.map((n, i) => (
        <span key={n}>
          {i ? ', ' : ''}
          <Data className="font-mono">{n}</Data>
        </span>
      ))}
    </span>
  );
}

export function IndicationList({ items }: { items: readonly Indication[] }) {
  const t = useT();
  if (!items.length) return <span className="text-slate-500">{t('common.none')}</span>;
  return (
    <ul className="flex flex-col gap-0.5" data-testid="snapshot-indications">
      {items.map((i) => (
        <li key={i.name ?? 'offline'} data-indication={i.name ?? 'Offline'} className="text-xs">
          {i.key === 'snapshot.indication.other' ? interpolate(t(i.key), { name: <Data>{i.name}</Data> }) : t(i.key)}
        </li>
      ))}
    </ul>
  );
}

export type StepState = 'done' | 'current' | 'upcoming' | 'failed';

const STEP_CLASS: Record<StepState, string> = {
  done: 'border-emerald-600 bg-emerald-600',
  current: 'border-sky-700 bg-sky-700 ring-4 ring-sky-200',
  upcoming: 'border-slate-300 bg-white',
  failed: 'border-red-700 bg-red-700',
};

/** Steps of a long operation in order, the current one marked for assistive technology too. */
export function Steps({ steps, label, testId }: { steps: { id: string; key: MessageKey; state: StepState }[]; label: string; testId: string }) {
  const t = useT();
  return (
    <ol className="flex flex-wrap gap-x-1 gap-y-2" aria-label={label}>
      {steps.map((s) => (
        <li key={s.id} data-testid={testId} data-step={s.id} data-state={s.state} aria-current={s.state === 'current' ? 'step' : undefined} className="flex min-w-[7rem] flex-1 items-center gap-2 text-xs">
          <span aria-hidden="true" className={`inline-block h-3 w-3 shrink-0 rounded-full border-2 ${STEP_CLASS[s.state]}`} />
          <span className={s.state === 'current' ? 'font-medium text-sky-900' : s.state === 'failed' ? 'font-medium text-red-800' : 'text-slate-600'}>{t(s.key)}</span>
        </li>
      ))}
    </ol>
  );
}

/** The states of ordered steps when `current` is reached (or all done, or failed at current). */
export function stepStates<T extends string>(order: readonly T[], current: T | undefined, opts: { allDone?: boolean; failed?: boolean } = {}): Record<T, StepState> {
  const at = current === undefined ? -1 : order.indexOf(current);
  return Object.fromEntries(
    order.map((id, i) => [id, opts.allDone ? 'done' : i < at ? 'done' : i === at ? (opts.failed ? 'failed' : 'current') : 'upcoming']),
  ) as Record<T, StepState>;
}
