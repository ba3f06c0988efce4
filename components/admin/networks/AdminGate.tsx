'use client';
import Link from 'next/link';
import { useT } from '../../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { MessageKey } from '@/lib/i18n/locales';

// What an admin page shows instead of itself when its access review says no (or could not be asked): which page,
// why in a sentence, and the exact review that was refused, in Kubernetes' own words.
export function AdminNotAllowed({ bodyKey, verb, resource, scope, reason }: { bodyKey: MessageKey; verb: string; resource: string; scope: 'all' | 'cluster'; reason?: string }) {
  const t = useT();
  return (
    <div className="m-auto max-w-xl p-8 text-center" data-testid="not-allowed">
      <div aria-hidden className="mb-4 text-5xl">
        ⛔
      </div>
      <h1 className="mb-2 text-2xl font-semibold">{t('forbidden.title')}</h1>
      <p className="mb-2 text-slate-700">{t(bodyKey)}</p>
      <p className="mb-2 text-sm text-slate-600" data-testid="not-allowed-check">
        {interpolate(t(scope === 'all' ? 'admin.gate.checkAll' : 'admin.gate.checkCluster'), { check: <Data className="font-mono">{`${verb} ${resource}`}</Data> })}
      </p>
      {reason ? <p className="mb-4 text-sm text-slate-500">{interpolate(t('forbidden.detail'), { reason: <Data>{reason}</Data> })}</p> : null}
      <Link href="/vms" className="text-sky-700 hover:underline">
        {t('common.back')}
      </Link>
    </div>
  );
}

export function AdminGateFailed() {
  const t = useT();
  return (
    <div role="alert" className="m-4 rounded border border-red-200 bg-red-50 p-4 text-red-900" data-testid="error-panel">
      <p className="font-semibold">{t('error.title')}</p>
      <p>{t('admin.gate.failed')}</p>
    </div>
  );
}
