import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from '@/components/providers/Providers';
import { catalogues } from '@/lib/i18n/locales';
import { serverT } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverT();
  return { title: t('app.title') };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale } = await serverT();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <Providers locale={locale} messages={catalogues[locale]}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
