'use client';
import { useT } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// A refusal inside a dialog, where the user can change what they asked for and try again.
export function InlineError({ error, testId = 'dialog-error' }: { error: unknown; testId?: string }) {
  const t = useT();
  if (!error) return null;
  const { summary, reason } = describeError(error, t);
  return (
    <div role="alert" className="mb-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid={testId}>
      <p>{summary}</p>
      {reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
    </div>
  );
}
