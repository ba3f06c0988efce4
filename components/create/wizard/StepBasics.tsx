'use client';
import { useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { FieldError, Hint, inputClass, useDescribed, useFieldError, type Choice, SelectField } from './fields';
import { useCreateForm } from './form-context';
import { nameTaken } from './checks';
import { fieldId } from './steps';
import type { CreateOptions } from '@/lib/shared/create-api';

// Step 1: where the VM goes and what it is called. The name is checked as it is typed (the model's DNS-1123 rule)
// and against the names already taken in the namespace.
export function StepBasics({ options, current }: { options: CreateOptions | undefined; current: boolean }) {
  const t = useT();
  const { register, control, trigger } = useCreateForm();
  const [namespace, name] = useWatch({ control, name: ['namespace', 'name'] });
  // Shown as typed; once Next has put the same problem on the field, only there.
  const nameError = useFieldError('name');
  const taken = current && nameTaken(name, namespace, options) && nameError !== 'name.taken';
  const namespaces = [...new Set([...(options?.namespaces ?? []), ...(namespace ? [namespace] : [])])].sort();
  const choices: Choice[] = namespaces.map((n) => ({ value: n, label: n, data: true }));
  const described = useDescribed('name', true, taken ? 'create-name-taken' : undefined);

  return (
    <div className="flex max-w-xl flex-col gap-4">
      <SelectField path="namespace" label={t('create.basics.namespace')} hint={t('create.basics.namespaceHint')} choices={choices} data-testid="create-namespace" />
      {options && options.namespaces.length === 0 ? <p className="text-sm text-amber-800">{t('create.basics.noNamespaces')}</p> : null}
      <div>
        <label htmlFor={fieldId('name')} className="mb-1 block text-sm font-medium text-slate-800">
          {t('create.basics.name')}
        </label>
        <input
          {...described}
          aria-invalid={described['aria-invalid'] || taken}
          autoComplete="off"
          spellCheck={false}
          translate="no"
          data-testid="create-name"
          className={`${inputClass} font-mono`}
          {...register('name', { onChange: () => void trigger('name') })}
        />
        <Hint path="name">{t('create.basics.nameHint')}</Hint>
        <FieldError path="name" />
        {taken ? (
          <p id="create-name-taken" className="mt-1 text-sm text-red-700" data-testid="create-name-taken">
            {t('create.error.name.taken')}
          </p>
        ) : null}
      </div>
    </div>
  );
}
