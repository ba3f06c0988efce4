'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';

export function NotAllowed({ namespace, name, reason }: { namespace: string; name: string; reason?: string }) {
  const t = useT();
  return (
    <div className="m-auto max-w-xl p-8 text-center" data-testid="not-allowed">
      <div aria-hidden className="mb-4 text-5xl">⛔</div>
      <h1 className="mb-2 text-2xl font-semibold">{t('forbidden.title')}</h1>
      <p className="mb-2 text-slate-700">{interpolate(t('forbidden.body'), { namespace: <Data>{namespace}</Data>, name: <Data>{name}</Data> })}</p>
      {reason ? <p className="mb-4 text-sm text-slate-500">{interpolate(t('forbidden.detail'), { reason: <Data>{reason}</Data> })}</p> : null}
      <Link href="/vms" className="text-sky-700 hover:underline">
        {t('common.back')}
      </Link>
    </div>
  );
}
