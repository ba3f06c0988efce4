'use client';
import { useController, useFormContext } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { FieldError, hintId, inputClass, Note, useDescribed } from './fields';
import { fieldId, type EditForm } from './form';
import { RUN_STRATEGIES } from '@/lib/kubevirt/edits';
import { runStrategy } from '@/lib/kubevirt/selectors';
import { vmStatus } from '@/lib/kubevirt/status';
import type { Translate } from '@/lib/i18n/locales';
import type { VirtualMachine } from '@/lib/kubevirt/types';

// The run strategy, each value explained, and what saving a new one does right away: KubeVirt stops a running VM
// set to Halted, and starts a stopped one set to Always, RerunOnFailure or Once.

const CREATE_KEYS = new Set(['Always', 'RerunOnFailure', 'Manual', 'Halted']);

function labelOf(t: Translate, rs: string): string {
  if (rs === 'Once') return t('edit.run.Once');
  return CREATE_KEYS.has(rs) ? t(`create.run.strategy.${rs as 'Always'}`) : rs;
}

function hintOf(t: Translate, rs: string): string | undefined {
  if (rs === 'Once') return t('edit.run.Once.hint');
  return CREATE_KEYS.has(rs) ? t(`create.run.strategy.${rs as 'Always'}.hint`) : undefined;
}

const STARTS = new Set(['Always', 'RerunOnFailure', 'Once']);
const UP = new Set(['Running', 'Paused', 'Migrating', 'Starting']);

export function RunStrategyField({ vm }: { vm: VirtualMachine }) {
  const t = useT();
  const { control } = useFormContext<EditForm>();
  const { field } = useController({ control, name: 'runStrategy' });
  const described = useDescribed('runStrategy', true);
  const current = runStrategy(vm);
  const value = String(field.value ?? '');
  // A strategy the portal does not offer (WaitAsReceiver) is still shown as what the VM has.
  const choices: string[] = [...RUN_STRATEGIES, ...(RUN_STRATEGIES.includes(current as never) ? [] : [current])];
  const status = vmStatus(vm);
  const effect = value === current ? undefined : value === 'Halted' && UP.has(status) ? 'edit.run.willStop' : STARTS.has(value) && status === 'Stopped' ? 'edit.run.willStart' : undefined;
  return (
    <div className="max-w-2xl">
      <label htmlFor={fieldId('runStrategy')} className="mb-1 block text-sm font-medium text-slate-800">
        {t('detail.runStrategy')}
      </label>
      <select {...described} ref={field.ref} name={field.name} value={value} onBlur={field.onBlur} onChange={(e) => field.onChange(e.target.value)} className={`${inputClass} max-w-xs`} data-testid="edit-run-strategy">
        {choices.map((rs) => (
          <option key={rs} value={rs} translate={CREATE_KEYS.has(rs) || rs === 'Once' ? undefined : 'no'}>
            {labelOf(t, rs)}
          </option>
        ))}
      </select>
      <p id={hintId('runStrategy')} className="mt-1 text-xs text-slate-600">
        {hintOf(t, value) ?? ''}
      </p>
      <FieldError path="runStrategy" />
      {effect ? (
        <div className="mt-2" role="status">
          <Note tone="warning" testId="edit-run-effect">
            {t(effect)}
          </Note>
        </div>
      ) : null}
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-slate-700" aria-label={t('edit.run.explain')} data-testid="edit-run-explain">
        {choices.map((rs) => (
          <div key={rs} className={`contents ${rs === value ? 'text-slate-950' : ''}`} data-selected={rs === value || undefined}>
            <dt className="font-medium">
              {labelOf(t, rs)}
              {rs === current ? ` ${t('edit.run.current')}` : ''}
            </dt>
            <dd>{hintOf(t, rs) ?? ''}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
