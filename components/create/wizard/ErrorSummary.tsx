'use client';
import { forwardRef } from 'react';
import { useFormState } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { ProblemMessage } from './fields';
import { useCreateForm } from './form-context';
import { flattenErrors } from './errors';
import { pathLabel } from './labels';
import { stepOfField, type StepId } from './steps';

// The problems of a step after a failed Next (or of the whole form on the review), each a button that moves focus
// to its field. It takes focus itself when Next fails, so a screen reader hears what is wrong first.
export const ErrorSummary = forwardRef<HTMLDivElement, { step: StepId | 'all'; onFocusField: (path: string) => void }>(function ErrorSummary({ step, onFocusField }, ref) {
  const t = useT();
  const { control } = useCreateForm();
  const { errors } = useFormState({ control });
  const list = flattenErrors(errors).filter((e) => step === 'all' || stepOfField(e.path) === step || (step === 'review' && stepOfField(e.path) === undefined));
  if (!list.length) return null;
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="create-error-summary-title" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="create-error-summary">
      <p id="create-error-summary-title" className="font-semibold">
        {t('create.errors.title', { n: list.length })}
      </p>
      <ul className="mt-1 list-disc pl-5">
        {list.map((e) => (
          <li key={`${e.path}:${e.message}`}>
            <button type="button" className="text-left underline hover:no-underline" onClick={() => onFocusField(e.path)}>
              {pathLabel(t, e.path)}
            </button>
            {': '}
            <ProblemMessage message={e.message} />
          </li>
        ))}
      </ul>
    </div>
  );
});
