'use client';
import dynamic from 'next/dynamic';
import { useT } from '../i18n/I18nProvider';
import type { SerialConsoleProps } from './SerialConsole';

// xterm.js and its stylesheet load only where a console is shown, and only in the browser.
function Loading() {
  const t = useT();
  return (
    <p role="status" data-testid="console-state" data-state="loading" className="p-4 text-slate-600">
      {t('console.loading')}
    </p>
  );
}

export const SerialConsoleLoader = dynamic<SerialConsoleProps>(() => import('./SerialConsole'), { ssr: false, loading: () => <Loading /> });
