'use client';
import { useFieldArray, useFormContext, useWatch, type FieldPath } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { buttonClass, FieldError, hintId, inputClass, useDescribed } from './fields';
import type { EditForm, MetadataList } from './form';

// Labels or annotations as key/value rows. KubeVirt's own entries are listed above the rows, read-only: they are
// not in the form at all, so nothing the user does can change them.

const singular = (which: MetadataList) => (which === 'labels' ? 'label' : 'annotation');

function MetadataRow({ which, index, onRemove }: { which: MetadataList; index: number; onRemove: () => void }) {
  const t = useT();
  const { register, control } = useFormContext<EditForm>();
  const keyPath = `${which}.${index}.key` as FieldPath<EditForm>;
  const valuePath = `${which}.${index}.value` as FieldPath<EditForm>;
  const key = useWatch({ control, name: keyPath }) as string | undefined;
  const keyDescribed = useDescribed(keyPath);
  const valueDescribed = useDescribed(valuePath);
  const one = singular(which);
  const common = { autoComplete: 'off', spellCheck: false, translate: 'no' as const };
  return (
    <tr data-testid={`${one}-row`} className="align-top">
      <td className="pb-2 pr-2">
        <input {...common} {...register(keyPath)} {...keyDescribed} aria-label={t(`edit.${which}.keyN`, { n: index + 1 })} className={`${inputClass} font-mono`} data-testid={`${one}-key`} />
        <FieldError path={keyPath} />
      </td>
      <td className="pb-2 pr-2">
        {which === 'annotations' ? (
          // Annotation values may span lines (an input would silently drop the line breaks).
          <textarea {...common} rows={1} {...register(valuePath)} {...valueDescribed} aria-label={t('edit.annotations.valueN', { n: index + 1 })} className={`${inputClass} font-mono`} data-testid={`${one}-value`} />
        ) : (
          <input {...common} {...register(valuePath)} {...valueDescribed} aria-label={t('edit.labels.valueN', { n: index + 1 })} className={`${inputClass} font-mono`} data-testid={`${one}-value`} />
        )}
        <FieldError path={valuePath} />
      </td>
      <td className="pb-2">
        <button type="button" className={buttonClass} onClick={onRemove} aria-label={key ? t('edit.row.remove', { key }) : t('edit.row.removeEmpty')} data-testid={`remove-${one}`}>
          <span aria-hidden>✕</span>
        </button>
      </td>
    </tr>
  );
}

export function MetadataRows({ which, managed }: { which: MetadataList; managed: Record<string, string> }) {
  const t = useT();
  const { control } = useFormContext<EditForm>();
  const { fields, append, remove } = useFieldArray({ control, name: which });
  const kept = Object.entries(managed);
  return (
    <fieldset className="flex min-w-0 flex-col gap-2" data-testid={`edit-${which}`} aria-describedby={hintId(which)}>
      <legend className="text-sm font-medium text-slate-800">{t(which === 'labels' ? 'edit.labels' : 'edit.annotations')}</legend>
      <p id={hintId(which)} className="text-xs text-slate-600">
        {t(which === 'labels' ? 'edit.labels.hint' : 'edit.annotations.hint')}
      </p>
      {kept.length ? (
        <p className="text-xs text-slate-600" data-testid={`edit-${which}-managed`}>
          {t('edit.managed')}{' '}
          {kept.map(([k, v]) => (
            <span key={k} translate="no" className="mr-1 inline-block break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono" data-testid="managed-entry">
              {k}={v}
            </span>
          ))}
        </p>
      ) : null}
      {fields.length === 0 ? (
        <p className="text-sm text-slate-500">{t(which === 'labels' ? 'edit.labels.none' : 'edit.annotations.none')}</p>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="pb-1 pr-2 font-medium">{t('edit.key')}</th>
              <th className="pb-1 pr-2 font-medium">{t('edit.value')}</th>
              <th className="w-0" />
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <MetadataRow key={f.id} which={which} index={i} onRemove={() => remove(i)} />
            ))}
          </tbody>
        </table>
      )}
      <FieldError path={which} />
      <div>
        <button type="button" className={buttonClass} onClick={() => append({ key: '', value: '' })} data-testid={`add-${singular(which)}`}>
          {t(which === 'labels' ? 'edit.labels.add' : 'edit.annotations.add')}
        </button>
      </div>
    </fieldset>
  );
}
