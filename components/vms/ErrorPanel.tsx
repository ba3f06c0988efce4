'use client';
import { useT } from '../i18n/I18nProvider';
import { describeError } from './describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';

export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const { summary, reason } = describeError(error, t);
  return (
    <div role="alert" className="m-4 rounded border border-red-200 bg-red-50 p-4 text-red-900" data-testid="error-panel">
      <p className="font-semibold">{t('error.title')}</p>
      <p>{summary}</p>
      {reason ? <p className="mt-1 text-sm">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
      {onRetry ? (
        <button type="button" className="mt-2 rounded border border-red-300 px-2 py-1 text-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
