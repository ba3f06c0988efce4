'use client';
import { useT } from '../../i18n/I18nProvider';
import { STEP_IDS, stepIndex, type StepId } from './steps';

// The steps as an ordered list: the current one marked with aria-current="step", the ones already reached are
// buttons (going forward re-checks the steps in between), the rest plain text.
export function StepList({ current, reached, onGo }: { current: StepId; reached: number; onGo: (s: StepId) => void }) {
  const t = useT();
  const ci = stepIndex(current);
  return (
    <nav aria-label={t('create.steps')}>
      <ol className="flex flex-col gap-1 text-sm" data-testid="create-steps">
        {STEP_IDS.map((s, i) => {
          const isCurrent = s === current;
          const done = i < ci || (i <= reached && !isCurrent);
          const badge = (
            <span
              aria-hidden
              className={`inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full border text-xs ${isCurrent ? 'border-sky-700 bg-sky-700 text-white' : done ? 'border-sky-700 text-sky-800' : 'border-slate-300 text-slate-500'}`}
            >
              {done && !isCurrent ? '✓' : i + 1}
            </span>
          );
          const label = (
            <>
              {badge}
              <span>{t(`create.step.${s}`)}</span>
              {done && !isCurrent ? <span className="sr-only"> ({t('create.stepDone')})</span> : null}
            </>
          );
          return (
            <li key={s} aria-current={isCurrent ? 'step' : undefined} data-testid={`step-${s}`}>
              {!isCurrent && i <= reached ? (
                <button type="button" className="flex w-full items-center gap-2 rounded px-2 py-1 text-left text-sky-800 hover:bg-sky-50" onClick={() => onGo(s)}>
                  {label}
                </button>
              ) : (
                <span className={`flex items-center gap-2 px-2 py-1 ${isCurrent ? 'font-semibold text-slate-900' : 'text-slate-500'}`}>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
