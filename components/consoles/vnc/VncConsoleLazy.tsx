'use client';
import dynamic from 'next/dynamic';
import { useT } from '../../i18n/I18nProvider';

// The VNC console, loaded on demand and only in the browser: noVNC is in this chunk and no other page carries it.
export const VncConsoleLazy = dynamic(() => import('./VncConsole').then((m) => m.VncConsole), {
  ssr: false,
  loading: () => <VncLoading />,
});

function VncLoading() {
  const t = useT();
  return (
    <p className="flex h-64 items-center justify-center rounded border border-slate-300 bg-slate-50 text-slate-600" data-testid="vnc-loading">
      {t('vnc.loading')}
    </p>
  );
}
