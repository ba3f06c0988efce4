import { en, type MessageKey, type Messages } from '../../messages/en';
import { zhCN } from '../../messages/zh-CN';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_COOKIE = 'portal-locale';

export const catalogues: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

function isLocale(v: string | undefined): v is Locale {
  return (LOCALES as readonly string[]).includes(v ?? '');
}

// The cookie wins (the user chose); else the browser's Accept-Language; else English.
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  const wanted = (acceptLanguage ?? '').split(',').map((p) => p.split(';')[0]!.trim().toLowerCase());
  for (const w of wanted) {
    if (w === 'zh' || w.startsWith('zh-cn') || w.startsWith('zh-hans') || w === 'zh-sg') return 'zh-CN';
    if (w.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export function translator(messages: Messages): Translate {
  return (key, vars) => {
    const text = messages[key] ?? en[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

export type { MessageKey, Messages };
