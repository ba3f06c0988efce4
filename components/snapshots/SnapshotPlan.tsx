'use client';
import { useT } from '../i18n/I18nProvider';
import { ExclusionList, VolumeNames } from './parts';
import { volumeSnapshotPlan } from '@/lib/kubevirt/snapshots';
import type { VirtualMachine } from '@/lib/kubevirt/types';

// What a snapshot taken now would hold, before one is taken: from what KubeVirt reports on the VM
// (status.volumeSnapshotStatuses), each left-out volume with KubeVirt's reason in plain words.
export function SnapshotPlan({ vm, compact = false }: { vm: VirtualMachine; compact?: boolean }) {
  const t = useT();
  const plan = volumeSnapshotPlan(vm);
  return (
    <div data-testid="snapshot-plan" data-reported={plan.reported} className="flex flex-col gap-2 text-sm">
      {compact ? null : <h3 className="font-semibold">{t('snapshot.plan.title')}</h3>}
      <p>
        <span className="mr-1 text-slate-600">{t('snapshot.plan.included')}</span>
        <VolumeNames names={plan.included} testId="snapshot-plan-included" />
      </p>
      {plan.excluded.length ? (
        <div>
          <p className="mb-1 text-slate-600">{t('snapshot.plan.excluded')}</p>
          <ExclusionList items={plan.excluded} />
        </div>
      ) : null}
      {plan.unknown.length ? (
        <p className="text-slate-600" data-testid="snapshot-plan-unknown">
          <span className="mr-1">{t(plan.reported ? 'snapshot.plan.unknown' : 'snapshot.plan.notReported')}</span>
          <VolumeNames names={plan.unknown} testId="snapshot-plan-unknown-names" />
        </p>
      ) : null}
      {plan.excluded.some((x) => x.claim) ? <p className="text-amber-800">{t('snapshot.plan.claimsLeftOut')}</p> : null}
    </div>
  );
}
