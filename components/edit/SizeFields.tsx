'use client';
import type { UseQueryResult } from '@tanstack/react-query';
import { useController, useFormContext, useWatch } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { formatQuantity } from '../create/wizard/units';
import { FieldError, hintId, inputClass, Note, useDescribed } from './fields';
import { fieldId, type EditForm } from './form';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { MAX_VCPUS, type EditOptions } from '@/lib/kubevirt/edits';

// The VM's size: vCPUs and memory for a VM that states them, or a cluster instance type for one that takes them from
// an instance type (KubeVirt refuses both at once). Which of the two is the VM's own choice, not the form's.

function CustomSize() {
  const t = useT();
  const { register } = useFormContext<EditForm>();
  const cpu = useDescribed('size.cpu', true);
  const memory = useDescribed('size.memory', true);
  return (
    <div className="grid max-w-xl gap-4 sm:grid-cols-2">
      <div>
        <label htmlFor={fieldId('size.cpu')} className="mb-1 block text-sm font-medium text-slate-800">
          {t('create.size.cpu')}
        </label>
        <input type="number" min={1} max={MAX_VCPUS} step={1} inputMode="numeric" className={inputClass} {...register('size.cpu', { valueAsNumber: true })} {...cpu} data-testid="edit-cpu" />
        <p id={hintId('size.cpu')} className="mt-1 text-xs text-slate-600">
          {t('create.size.cpuHint')}
        </p>
        <FieldError path="size.cpu" />
      </div>
      <div>
        <label htmlFor={fieldId('size.memory')} className="mb-1 block text-sm font-medium text-slate-800">
          {t('create.size.memory')}
        </label>
        <input autoComplete="off" spellCheck={false} translate="no" className={inputClass} {...register('size.memory')} {...memory} data-testid="edit-memory" />
        <p id={hintId('size.memory')} className="mt-1 text-xs text-slate-600">
          {t('create.size.memoryHint')}
        </p>
        <FieldError path="size.memory" />
      </div>
    </div>
  );
}

// Controlled: the choices arrive after the value, and the current one must stay shown (as itself) until they do.
function InstancetypeSize({ options, disabled }: { options?: UseQueryResult<EditOptions>; disabled: boolean }) {
  const t = useT();
  const { control } = useFormContext<EditForm>();
  const { field } = useController({ control, name: 'size.name' });
  const value = typeof field.value === 'string' ? field.value : '';
  const described = useDescribed('size.name', true);
  const list = options?.data?.instancetypes ?? [];
  const unavailable = options?.data?.unavailable === true;
  const failed = options?.error ? describeError(options.error, t) : undefined;
  return (
    <div className="max-w-xl">
      <label htmlFor={fieldId('size.name')} className="mb-1 block text-sm font-medium text-slate-800">
        {t('detail.instanceType')}
      </label>
      <select
        {...described}
        ref={field.ref}
        name={field.name}
        value={value}
        onBlur={field.onBlur}
        onChange={(e) => field.onChange(e.target.value)}
        disabled={disabled || unavailable || Boolean(failed)}
        className={inputClass}
        data-testid="edit-instancetype"
      >
        {list.some((i) => i.name === value) ? null : (
          <option value={value} translate="no">
            {value}
          </option>
        )}
        {list.map((it) => (
          <option key={it.name} value={it.name}>
            {t('edit.size.instancetypeOption', { name: it.name, cpu: it.cpu, memory: formatQuantity(it.memory) })}
          </option>
        ))}
      </select>
      <p id={hintId('size.name')} className="mt-1 text-xs text-slate-600">
        {t('edit.size.instancetypeHint')}
      </p>
      <FieldError path="size.name" />
      {unavailable ? (
        <div className="mt-2">
          <Note tone="warning" testId="edit-instancetypes-unavailable">
            {t('edit.size.instancetypesUnavailable')}
          </Note>
        </div>
      ) : null}
      {failed ? (
        <div className="mt-2">
          <Note tone="warning">{interpolate(t('edit.size.instancetypesFailed'), { reason: failed.reason ? <Data>{failed.reason}</Data> : failed.summary })}</Note>
        </div>
      ) : null}
    </div>
  );
}

export function SizeFields({ options, disabled }: { options?: UseQueryResult<EditOptions>; disabled: boolean }) {
  const t = useT();
  const { control } = useFormContext<EditForm>();
  const kind = useWatch({ control, name: 'size.kind' });
  return (
    <div className="flex flex-col gap-3">
      {kind === 'instancetype' ? <InstancetypeSize options={options} disabled={disabled} /> : <CustomSize />}
      <p className="text-xs text-slate-600">{t('edit.size.applies')}</p>
    </div>
  );
}
