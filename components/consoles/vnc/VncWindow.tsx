'use client';
import Link from 'next/link';
import { useT } from '../../i18n/I18nProvider';
import { VncConsoleLazy } from './VncConsoleLazy';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// The full-window VNC page's body: a title line and the console taking the rest of the height.
export function VncWindow({ namespace, name }: { namespace: string; name: string }) {
  const t = useT();
  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[24rem] flex-col gap-2 p-2">
      <div className="flex flex-wrap items-center gap-4">
        <Link href={`/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`} className="text-sm text-sky-700 hover:underline">
          ← {t('vnc.back')}
        </Link>
        <h1 className="text-lg font-semibold" data-testid="vm-name">
          {interpolate(t('vnc.page.title'), { namespace: <Data>{namespace}</Data>, name: <Data>{name}</Data> })}
        </h1>
      </div>
      <VncConsoleLazy namespace={namespace} name={name} fullWindow />
    </div>
  );
}
