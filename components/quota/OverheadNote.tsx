'use client';
import { useT } from '../i18n/I18nProvider';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { formatBytes } from '@/lib/kubevirt/quantity';
import { typicalOverhead } from '@/lib/kubevirt/quota-usage';

// Why a VM takes more of requests.memory than its guest memory: the figure is KubeVirt's own sum for a typical size
// (lib/kubevirt/memory-overhead.ts), the same the wizard adds when it predicts a VM's quota use.
export function OverheadNote() {
  const t = useT();
  const o = typicalOverhead();
  return (
    <p className="text-sm text-slate-600" data-testid="quota-overhead" data-overhead-bytes={o.overheadBytes}>
      {interpolate(t('quota.overhead'), {
        overhead: <strong className="font-medium text-slate-800">{formatBytes(o.overheadBytes)}</strong>,
        vcpus: String(o.vcpus),
        memory: formatBytes(o.guestMemoryBytes),
        resource: <Data className="font-mono text-xs">requests.memory</Data>,
      })}
    </p>
  );
}
