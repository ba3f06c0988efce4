'use client';
import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ErrorText } from './disk-text';

// The end of a disk dialog's form: why the last try failed, then the buttons.

/** Why the operation failed: `title` (what was tried, with its names as data), then the portal's or the API server's words. */
export function FailedAlert({ error, title, testId, className = '' }: { error: unknown; title: ReactNode; testId: string; className?: string }) {
  const t = useT();
  return (
    <div role="alert" className={`${className ? `${className} ` : ''}rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900`} data-testid={testId}>
      <p className="font-medium">{title}</p>
      <p>
        <ErrorText error={error} t={t} />
      </p>
    </div>
  );
}

/**
 * Cancel, then the submit. `danger`: the confirmation of a destructive step, as the portal's other confirmations are:
 * a red submit that has the focus, at the body's text size; otherwise a form's, smaller and in the primary colour.
 */
export function DialogButtons({ onCancel, submitTestId, disabled, danger = false, children }: { onCancel: () => void; submitTestId: string; disabled: boolean; danger?: boolean; children: ReactNode }) {
  const t = useT();
  const size = danger ? '' : ' text-sm';
  return (
    <div className="flex justify-end gap-2">
      <button type="button" className={`rounded border border-slate-300 px-3 py-1.5${size}`} onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button
        type="submit"
        data-testid={submitTestId}
        autoFocus={danger}
        disabled={disabled}
        className={`rounded ${danger ? 'bg-red-700' : 'bg-sky-700'} px-3 py-1.5${size} font-medium text-white disabled:opacity-40`}
      >
        {children}
      </button>
    </div>
  );
}
