'use client';
import type { ReactNode, InputHTMLAttributes, SelectHTMLAttributes } from 'react';
import { get, useController, useFormState, type RegisterOptions } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { fieldId } from './steps';
import { emptyIsUnset, useCreateForm, type CreatePath } from './form-context';
import { problemText, type MessageParams } from './problem-text';
import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';
import { Data } from '@/lib/i18n/interpolate';

// Small form primitives of the wizard: a label for every control, hints and errors tied to it with
// aria-describedby, aria-invalid while it has an error.

export const inputClass = 'w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600 disabled:bg-slate-100';
export const buttonClass = 'rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50';
export const primaryButtonClass = 'rounded bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50';

export const hintId = (path: string) => `${fieldId(path)}-hint`;
export const errorId = (path: string) => `${fieldId(path)}-error`;

/** A problem's text in the user's language; the cluster's own sentences as data. */
export function ProblemMessage({ message, params }: { message: string | undefined; params?: MessageParams }) {
  const t = useT();
  const p = problemText(t, message, params);
  return p.kind === 'data' ? <Data>{p.text}</Data> : <>{p.text}</>;
}

/** The error message at a path of the form, if any. */
export function useFieldError(path: string): string | undefined {
  const { control } = useCreateForm();
  const { errors } = useFormState({ control, name: path as CreatePath });
  const e = get(errors, path) as { message?: string; type?: string; root?: { message?: string } } | undefined;
  if (!e) return undefined;
  return e.message ?? e.root?.message ?? (e.type ? '' : undefined);
}

export function FieldError({ path, message }: { path: string; message?: string }) {
  const fromForm = useFieldError(path);
  const m = message ?? fromForm;
  if (m === undefined) return null;
  return (
    <p id={errorId(path)} className="mt-1 text-sm text-red-700" data-testid={`error-${fieldId(path)}`}>
      <ProblemMessage message={m} />
    </p>
  );
}

export function Hint({ path, children }: { path: string; children: ReactNode }) {
  return (
    <p id={hintId(path)} className="mt-1 text-xs text-slate-600">
      {children}
    </p>
  );
}

/** The aria attributes of a control at a path. */
export function useDescribed(path: string, hasHint: boolean, extra?: string) {
  const error = useFieldError(path);
  const ids = [hasHint ? hintId(path) : '', error !== undefined ? errorId(path) : '', extra ?? ''].filter(Boolean).join(' ');
  return { id: fieldId(path), 'aria-invalid': error !== undefined, 'aria-describedby': ids || undefined };
}

type TextFieldProps = {
  path: CreatePath;
  label: ReactNode;
  hint?: ReactNode;
  rules?: RegisterOptions<CreateVmFormInput, CreatePath>;
  optional?: boolean;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'className'>;

export function TextField({ path, label, hint, rules, optional, className, ...input }: TextFieldProps) {
  const { register } = useCreateForm();
  const described = useDescribed(path, Boolean(hint));
  return (
    <div className={className}>
      <label htmlFor={fieldId(path)} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input {...input} {...described} className={inputClass} {...register(path, { ...(optional ? emptyIsUnset : {}), ...rules })} />
      {hint ? <Hint path={path}>{hint}</Hint> : null}
      <FieldError path={path} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
  // Names and API values are data: not translated.
  data?: boolean;
}

type SelectFieldProps = {
  path: CreatePath;
  label: ReactNode;
  hint?: ReactNode;
  choices: Choice[];
  // An empty first choice, read as "not set".
  unset?: string;
  className?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name' | 'className' | 'value' | 'onChange' | 'onBlur'>;

// Controlled, because its choices often arrive after its value (the cluster's answer, a prefilled form): a value
// the choices do not hold yet is still shown, as itself, rather than silently replaced by the first choice.
export function SelectField({ path, label, hint, choices, unset, className, ...select }: SelectFieldProps) {
  const { control } = useCreateForm();
  const { field } = useController({ control, name: path });
  const described = useDescribed(path, Boolean(hint));
  const value = typeof field.value === 'string' ? field.value : '';
  const missing = value !== '' && !choices.some((c) => c.value === value);
  return (
    <div className={className}>
      <label htmlFor={fieldId(path)} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        {...select}
        {...described}
        ref={field.ref}
        name={field.name}
        value={value}
        onBlur={field.onBlur}
        onChange={(e) => field.onChange(e.target.value === '' && unset !== undefined ? undefined : e.target.value)}
        className={inputClass}
      >
        {unset !== undefined || value === '' ? <option value="">{unset ?? ''}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value} translate={c.data ? 'no' : undefined}>
            {c.label}
          </option>
        ))}
        {missing ? (
          <option value={value} translate="no">
            {value}
          </option>
        ) : null}
      </select>
      {hint ? <Hint path={path}>{hint}</Hint> : null}
      <FieldError path={path} />
    </div>
  );
}

/** A radio choice drawn as a card: the native radio keeps arrow keys and screen readers working. */
export function RadioCard({
  name,
  value,
  checked,
  onSelect,
  title,
  children,
  testId,
  describedBy,
}: {
  name: string;
  value: string;
  checked: boolean;
  onSelect: () => void;
  title: ReactNode;
  children?: ReactNode;
  testId?: string;
  describedBy?: string;
}) {
  return (
    <label
      data-testid={testId}
      className="flex cursor-pointer gap-2 rounded border border-slate-300 bg-white p-3 text-sm hover:border-sky-500 has-[:checked]:border-sky-700 has-[:checked]:bg-sky-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-sky-600"
    >
      <input type="radio" name={name} value={value} checked={checked} onChange={onSelect} className="mt-0.5" aria-describedby={describedBy} />
      <span className="flex min-w-0 flex-col gap-0.5">
        <span className="font-medium text-slate-900">{title}</span>
        {children ? <span className="text-xs text-slate-600">{children}</span> : null}
      </span>
    </label>
  );
}

export function Note({ tone = 'info', children, testId }: { tone?: 'info' | 'warning'; children: ReactNode; testId?: string }) {
  const cls = tone === 'warning' ? 'border-amber-300 bg-amber-50 text-amber-950' : 'border-sky-200 bg-sky-50 text-sky-950';
  return (
    <div className={`rounded border px-3 py-2 text-sm ${cls}`} data-testid={testId}>
      {children}
    </div>
  );
}
