'use client';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { get, useFormContext, useFormState } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { inputClass } from '../create/wizard/fields';
import type { MessageKey, Translate } from '@/lib/i18n/locales';

// The admin forms' primitives: one react-hook-form per form (the create form, each edit section), the same paths in
// each (members.0.name, quota.requestsCpu...), so the sections are shared. Every control has a label; hints and
// errors are tied to it with aria-describedby, and it is aria-invalid while it has an error.

export const fieldId = (path: string) => `project-${path.replace(/\./g, '-')}`;
export const hintId = (path: string) => `${fieldId(path)}-hint`;
export const errorId = (path: string) => `${fieldId(path)}-error`;

// The form model's messages are keys (lib/admin/project-form.ts); any other (zod's own) is the generic sentence.
// lib/shared/names.ts words its messages as sentences.
const ALIASES: Record<string, string> = { 'not a valid namespace name': 'namespace.invalid' };

export function problemText(t: Translate, raw: string | undefined): string {
  const message = raw ? (ALIASES[raw] ?? raw) : raw;
  if (message && /^[a-z]+\.[A-Za-z]+$/.test(message)) {
    const key = `admin.error.${message}` as MessageKey;
    const text = t(key);
    if (text !== key) return text;
  }
  return t('admin.error.generic');
}

// zodResolver's error map: messages the schema gives win; the rest become the generic key.
export const adminIssueMessage = () => 'generic';

export function useFieldError(path: string): string | undefined {
  const { control } = useFormContext();
  const { errors } = useFormState({ control, name: path });
  const e = get(errors, path) as { message?: string; root?: { message?: string } } | { message?: string }[] | undefined;
  if (!e) return undefined;
  // A list's error may be on one of its entries (a namespace in the allow list).
  if (Array.isArray(e)) return e.find((x) => x?.message)?.message ?? '';
  return e.message ?? e.root?.message ?? '';
}

export function FieldError({ path }: { path: string }) {
  const t = useT();
  const message = useFieldError(path);
  if (message === undefined) return null;
  return (
    <p id={errorId(path)} className="mt-1 text-sm text-red-700" data-testid={`error-${fieldId(path)}`}>
      {problemText(t, message)}
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

export function useDescribed(path: string, hasHint: boolean, extra?: string) {
  const error = useFieldError(path);
  const ids = [hasHint ? hintId(path) : '', error !== undefined ? errorId(path) : '', extra ?? ''].filter(Boolean).join(' ');
  return { id: fieldId(path), 'data-testid': fieldId(path), 'aria-invalid': error !== undefined, 'aria-describedby': ids || undefined };
}

// An empty box is "not set"; a count box holds a number (NaN for text, which the schema refuses by name).
const unsetEmpty = { setValueAs: (v: unknown) => (v === '' || v === null ? undefined : v) };
const countOrUnset = { setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? undefined : Number(v)) };

export function TextInput({
  path,
  label,
  hint,
  kind = 'text',
  className,
  ...input
}: { path: string; label: ReactNode; hint?: ReactNode; kind?: 'text' | 'optional' | 'count'; className?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'className'>) {
  const { register } = useFormContext();
  const described = useDescribed(path, Boolean(hint));
  const options = kind === 'count' ? countOrUnset : kind === 'optional' ? unsetEmpty : {};
  return (
    <div className={className}>
      <label htmlFor={fieldId(path)} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input {...input} {...described} {...(kind === 'count' ? { type: 'number', min: 0, step: 1, inputMode: 'numeric' as const } : {})} className={inputClass} {...register(path, options)} />
      {hint ? <Hint path={path}>{hint}</Hint> : null}
      <FieldError path={path} />
    </div>
  );
}

export function CheckBox({ path, label, hint, disabled }: { path: string; label: ReactNode; hint?: ReactNode; disabled?: boolean }) {
  const { register } = useFormContext();
  const described = useDescribed(path, Boolean(hint));
  return (
    <div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" {...described} disabled={disabled} className="mt-1" {...register(path)} />
        <span className="font-medium text-slate-800">{label}</span>
      </label>
      {hint ? <Hint path={path}>{hint}</Hint> : null}
      <FieldError path={path} />
    </div>
  );
}

export function Fieldset({ legend, children, testId, description }: { legend: ReactNode; children: ReactNode; testId?: string; description?: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4" data-testid={testId}>
      <legend className="px-1 font-semibold">{legend}</legend>
      {description ? <p className="text-sm text-slate-600">{description}</p> : null}
      {children}
    </fieldset>
  );
}
