'use client';
import { useT } from '../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { MigrationBlock } from '@/lib/kubevirt/migrations';

// Why a VM cannot be live-migrated, in plain words with the names in it as data, and KubeVirt's own words after.
export function MigrationBlockText({ block, withDetail = false }: { block: MigrationBlock; withDetail?: boolean }) {
  const t = useT();
  const vars = Object.fromEntries(Object.entries(block.vars ?? {}).map(([k, v]) => [k, <Data key={k} className="font-mono">{v}</Data>]));
  return (
    <>
      <span data-testid="migration-block" data-reason={block.kubevirtReason ?? ''}>
        {interpolate(t(block.key), vars)}
      </span>
      {withDetail && block.detail ? <span className="mt-1 block text-xs text-slate-500">{interpolate(t('migration.kubevirtSaid'), { detail: <Data>{block.detail}</Data> })}</span> : null}
    </>
  );
}
