'use client';
import { useT } from '../i18n/I18nProvider';
import { SerialConsoleLoader } from './SerialConsoleLoader';

// The VM page's Console tab: the serial console while the VM has an instance, and a way to open it in a window of
// its own (which takes the console over: KubeVirt keeps one per VM).
export function VmConsoleTab({ namespace, name, hasInstance }: { namespace: string; name: string; hasInstance: boolean }) {
  const t = useT();
  if (!hasInstance) {
    return (
      <p className="p-4 text-slate-600" data-testid="console-no-vmi">
        {t('console.noVmi')}
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-3">
        <h2 className="text-base font-medium">{t('console.title')}</h2>
        <a
          href={`/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/console`}
          target="_blank"
          rel="noopener"
          className="ml-auto text-sm text-sky-700 hover:underline"
          data-testid="console-new-window"
        >
          {t('console.openInNewWindow')}
        </a>
      </div>
      <SerialConsoleLoader namespace={namespace} name={name} className="h-[60vh]" />
    </div>
  );
}
