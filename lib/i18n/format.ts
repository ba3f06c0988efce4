import type { Translate } from './locales';

// Compact age like kubectl's ("45s", "12m", "3h", "20d"), in the current language.
export function formatAge(fromMs: number | undefined, nowMs: number, t: Translate): string {
  if (fromMs === undefined) return '';
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 120) return t('age.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 120) return t('age.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('age.h', { n: h });
  return t('age.d', { n: Math.floor(h / 24) });
}

export function formatTimestamp(iso: string | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}
