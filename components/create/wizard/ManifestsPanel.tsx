'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { buttonClass } from './fields';

export const YAML_HANDOFF_KEY = 'portal.create.yaml';

// The exact manifests the create would send, read-only, to copy, download as one file, or carry over to the YAML
// editor (sessionStorage: the editor page reads and removes it).
export function ManifestsPanel({ yaml, name, namespace }: { yaml: string | undefined; name: string; namespace: string }) {
  const t = useT();
  const router = useRouter();
  const [status, setStatus] = useState('');
  if (yaml === undefined) return <p className="text-sm text-slate-600">{t('create.review.manifestsLater')}</p>;

  const copy = () =>
    void navigator.clipboard.writeText(yaml).then(
      () => setStatus(t('common.copied')),
      () => setStatus(t('create.review.copyFailed')),
    );
  const download = () => {
    const url = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name || 'vm'}.yaml`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const editAsYaml = () => {
    try {
      sessionStorage.setItem(YAML_HANDOFF_KEY, JSON.stringify({ namespace, yaml }));
    } catch {
      setStatus(t('create.review.handoffFailed'));
      return;
    }
    router.push('/vms/create/yaml');
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass} onClick={copy} data-testid="manifests-copy">
          {t('common.copy')}
        </button>
        <button type="button" className={buttonClass} onClick={download} data-testid="manifests-download">
          {t('create.review.download')}
        </button>
        <button type="button" className={buttonClass} onClick={editAsYaml} data-testid="manifests-edit">
          {t('create.review.editAsYaml')}
        </button>
        <span role="status" className="text-sm text-slate-600">
          {status}
        </span>
      </div>
      <pre translate="no" tabIndex={0} aria-label={t('create.review.manifests')} data-testid="manifests" className="max-h-[60vh] overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {yaml}
      </pre>
    </div>
  );
}
