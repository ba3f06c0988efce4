'use client';
import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { buttonClass } from '../create/wizard/fields';

// Manifests as one YAML file, read-only: to copy, or to download for a GitOps repository.
export function ManifestsView({ yaml, fileName, testId = 'project-manifests', label }: { yaml: string | undefined; fileName: string; testId?: string; label: string }) {
  const t = useT();
  const [status, setStatus] = useState('');
  if (yaml === undefined) return <p className="text-sm text-slate-600" data-testid={`${testId}-later`}>{t('admin.manifests.later')}</p>;
  const copy = () =>
    void navigator.clipboard.writeText(yaml).then(
      () => setStatus(t('common.copied')),
      () => setStatus(t('admin.manifests.copyFailed')),
    );
  const download = () => {
    const url = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass} onClick={copy} data-testid={`${testId}-copy`}>
          {t('common.copy')}
        </button>
        <button type="button" className={buttonClass} onClick={download} data-testid={`${testId}-download`}>
          {t('admin.manifests.download')}
        </button>
        <span role="status" className="text-sm text-slate-600">
          {status}
        </span>
      </div>
      <pre translate="no" tabIndex={0} aria-label={label} data-testid={testId} className="max-h-[60vh] overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {yaml}
      </pre>
    </div>
  );
}
