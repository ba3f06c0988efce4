'use client';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { translator, type Locale, type Messages, type Translate } from '@/lib/i18n/locales';

// The one i18n layer of the browser: the server picks the locale and hands its catalogue down; components call t().
const I18nContext = createContext<{ locale: Locale; t: Translate } | null>(null);

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(messages) }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

export function useT(): Translate {
  return useI18n().t;
}
