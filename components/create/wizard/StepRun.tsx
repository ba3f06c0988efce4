'use client';
import { useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { FieldError, SelectField } from './fields';
import { useCreateForm } from './form-context';
import { fieldId } from './steps';
import { runStrategies } from '@/lib/kubevirt/create/form';

// Step 7: how KubeVirt keeps the VM running, and whether it starts right after it is created.
export function StepRun() {
  const t = useT();
  const { control, register } = useCreateForm();
  const [strategy, start] = useWatch({ control, name: ['runStrategy', 'start'] });
  const s = strategy ?? 'Always';
  return (
    <div className="flex max-w-xl flex-col gap-5">
      <div>
        <SelectField
          path="runStrategy"
          label={t('create.run.strategy')}
          hint={t(`create.run.strategy.${s}.hint`)}
          choices={runStrategies.map((r) => ({ value: r, label: t(`create.run.strategy.${r}`) }))}
          data-testid="create-run-strategy"
        />
      </div>
      <div>
        <div className="flex items-center gap-2">
          <input id={fieldId('start')} type="checkbox" className="h-4 w-4" aria-describedby={`${fieldId('start')}-hint`} data-testid="create-start" {...register('start')} />
          <label htmlFor={fieldId('start')} className="text-sm font-medium text-slate-800">
            {t('create.run.start')}
          </label>
        </div>
        <p id={`${fieldId('start')}-hint`} className="mt-1 text-xs text-slate-600">
          {s === 'Halted' ? t('create.run.startHalted') : start === false ? t('create.run.startOff') : t('create.run.startOn')}
        </p>
        <FieldError path="start" />
      </div>
    </div>
  );
}
