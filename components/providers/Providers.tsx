'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { SessionProvider } from 'next-auth/react';
import { useState, type ReactNode } from 'react';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import type { Locale, Messages } from '@/lib/i18n/locales';

export function Providers({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }));
  return (
    // The session endpoint refreshes the ID token before it expires; asking every minute keeps it fresh while a
    // tab is open (the answer never contains a token).
    <SessionProvider refetchInterval={60} refetchOnWindowFocus>
      <QueryClientProvider client={queryClient}>
        <I18nProvider locale={locale} messages={messages}>
          <ToastProvider>{children}</ToastProvider>
        </I18nProvider>
      </QueryClientProvider>
    </SessionProvider>
  );
}
