'use client';
import { useMemo, useState } from 'react';
import { stringify } from 'yaml';
import { useT } from '../i18n/I18nProvider';
import type { VirtualMachine } from '@/lib/kubevirt/types';

export function VmYaml({ vm }: { vm: VirtualMachine }) {
  const t = useT();
  const text = useMemo(() => stringify(vm), [vm]);
  const [copied, setCopied] = useState(false);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${vm.metadata?.namespace}-${vm.metadata?.name}.yaml`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-2 flex items-center gap-2">
        <p className="text-sm text-slate-500">{t('detail.yaml.readOnly')}</p>
        <button
          type="button"
          data-testid="yaml-copy"
          className="ml-auto rounded border border-slate-300 px-2 py-1 text-sm"
          onClick={() => void navigator.clipboard.writeText(text).then(() => (setCopied(true), setTimeout(() => setCopied(false), 2000)))}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </button>
        <button type="button" data-testid="yaml-download" className="rounded border border-slate-300 px-2 py-1 text-sm" onClick={download}>
          {t('common.download')}
        </button>
      </div>
      <pre translate="no" data-testid="yaml" className="max-h-[70vh] overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {text}
      </pre>
    </div>
  );
}
