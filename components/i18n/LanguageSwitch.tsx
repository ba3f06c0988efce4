'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { LOCALE_COOKIE, LOCALES, type Locale } from '@/lib/i18n/locales';
import { useI18n } from './I18nProvider';
import { useHydrated } from '../ui/use-hydrated';

export function LanguageSwitch() {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, start] = useTransition();
  // A choice made before the page's script has run would change nothing.
  const hydrated = useHydrated();
  const change = (next: Locale) => {
    document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    // The server renders with the new catalogue; client state (filters, selection, caches) is kept.
    start(() => router.refresh());
  };
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">{t('lang.label')}</span>
      <select
        aria-label={t('lang.label')}
        data-testid="language-switch"
        className="rounded border border-slate-300 bg-white px-2 py-1 text-slate-800"
        value={locale}
        disabled={pending || !hydrated}
        onChange={(e) => change(e.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} translate="no">
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
