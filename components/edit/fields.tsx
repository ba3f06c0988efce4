'use client';
import type { ReactNode } from 'react';
import { get, useFormContext, useFormState } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { decodeMessage } from '../create/wizard/problem-text';
import { fieldId, type EditForm } from './form';
import { Data } from '@/lib/i18n/interpolate';
import type { MessageKey, Translate } from '@/lib/i18n/locales';

// The Settings form's small parts: a field's message in the user's language (a catalogue key with its parameters;
// anything else is the cluster's own words, shown as data) and its aria wiring.

export { buttonClass, inputClass, Note, primaryButtonClass } from '../create/wizard/fields';

export const errorId = (path: string) => `${fieldId(path)}-error`;
export const hintId = (path: string) => `${fieldId(path)}-hint`;

/** A message key (with its encoded parameters) in the user's language; undefined when it is not one of ours. */
export function messageText(t: Translate, raw: string): string | undefined {
  const { message, params } = decodeMessage(raw);
  const text = t(message as MessageKey, params);
  // The translator answers a key it does not know with the key itself.
  return text === message ? undefined : text;
}

export function Message({ raw }: { raw: string }) {
  const t = useT();
  const text = messageText(t, raw);
  return text !== undefined ? <>{text}</> : <Data>{raw}</Data>;
}

export function useFieldError(path: string): string | undefined {
  const { control } = useFormContext<EditForm>();
  const { errors } = useFormState({ control, name: path as never });
  // A list's own error sits at .root; a list whose rows have errors has neither message nor type itself.
  const e = get(errors, path) as { message?: string; type?: string; root?: { message?: string } } | undefined;
  if (!e) return undefined;
  return e.message ?? e.root?.message ?? (e.type ? '' : undefined);
}

export function FieldError({ path }: { path: string }) {
  const message = useFieldError(path);
  if (message === undefined) return null;
  return (
    <p id={errorId(path)} className="mt-1 text-sm text-red-700" data-testid={`error-${fieldId(path)}`}>
      <Message raw={message} />
    </p>
  );
}

/** id, aria-invalid and aria-describedby of the control at a path. */
export function useDescribed(path: string, hint = false) {
  const error = useFieldError(path);
  const ids = [hint ? hintId(path) : '', error !== undefined ? errorId(path) : ''].filter(Boolean).join(' ');
  return { id: fieldId(path), 'aria-invalid': error !== undefined, 'aria-describedby': ids || undefined };
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="rounded border border-slate-200 bg-white p-4" data-testid={testId} aria-label={title}>
      <h2 className="mb-3 font-semibold">{title}</h2>
      {children}
    </section>
  );
}
