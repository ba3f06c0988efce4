'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { AdminAccessResponse } from '@/lib/admin/projects';

// The admin area for someone whose RBAC does not open it (or when the reviews could not be asked): said plainly, with
// the review that said no, and nothing of the area itself.
export function AdminNotAllowed({ denied, failed }: { denied?: AdminAccessResponse['denied']; failed?: boolean }) {
  const t = useT();
  return (
    <div className="m-auto max-w-xl p-8 text-center" data-testid="not-allowed">
      <div aria-hidden className="mb-4 text-5xl">
        ⛔
      </div>
      <h1 className="mb-2 text-2xl font-semibold">{failed ? t('error.title') : t('forbidden.title')}</h1>
      <p className="mb-2 text-slate-700">{failed ? t('admin.forbidden.unknown') : t('admin.forbidden.body')}</p>
      {denied ? (
        <p className="mb-4 text-sm text-slate-500" data-testid="not-allowed-review">
          {interpolate(t('admin.forbidden.review'), { verb: <Data>{denied.verb}</Data>, resource: <Data>{denied.resource}</Data> })}
          {denied.reason ? <> {interpolate(t('forbidden.detail'), { reason: <Data>{denied.reason}</Data> })}</> : null}
        </p>
      ) : null}
      <Link href="/vms" className="text-sky-700 hover:underline">
        {t('common.back')}
      </Link>
    </div>
  );
}
