import 'server-only';
import { cookies, headers } from 'next/headers';
import { catalogues, LOCALE_COOKIE, pickLocale, translator, type Locale } from './locales';

async function currentLocale(): Promise<Locale> {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  return pickLocale(jar.get(LOCALE_COOKIE)?.value, h.get('accept-language'));
}

export async function serverT() {
  const locale = await currentLocale();
  return { locale, t: translator(catalogues[locale]) };
}
