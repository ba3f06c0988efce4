'use client';
import { useT } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { ApiError } from '@/lib/live/api-client';
import type { Translate } from '@/lib/i18n/locales';

// A refused admin change in the user's language: the summary, which object the API server refused (a project is
// many objects), whether what was made part-way is gone again, and the API server's own words.
export function describeAdminError(err: unknown, t: Translate): { summary: string; reason?: string; object?: string; undone?: boolean } {
  const base = describeError(err, t);
  if (!(err instanceof ApiError)) return base;
  const d = err.body.details ?? {};
  const o = d.object as { kind?: string; namespace?: string; name?: string } | undefined;
  const object = o?.kind && o.name ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` : undefined;
  let summary = base.summary;
  if (err.body.code === 'conflict') summary = t(d.upstreamReason === 'AlreadyExists' ? 'admin.error.exists' : 'admin.error.changed');
  return { ...base, summary, ...(object ? { object } : {}), ...(typeof d.undone === 'boolean' ? { undone: d.undone } : {}) };
}

export function AdminError({ error, testId, onRetry }: { error: unknown; testId: string; onRetry?: () => void }) {
  const t = useT();
  const e = describeAdminError(error, t);
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid={testId}>
      <p className="font-semibold">{e.summary}</p>
      {e.object ? <p>{interpolate(t('admin.error.object'), { object: <Data>{e.object}</Data> })}</p> : null}
      {e.undone === true ? <p>{t('admin.error.undone')}</p> : e.undone === false ? <p className="font-medium">{t('admin.error.notUndone')}</p> : null}
      {e.reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{e.reason}</Data> })}</p> : null}
      {onRetry ? (
        <button type="button" className="mt-2 rounded border border-red-300 px-2 py-1" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
