'use client';
import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { reasonNode } from '../vms/VmActionsMenu';
import { useVmAction } from '../vms/use-vm-action';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { menuEntries, VM_ACTIONS, type AccessAnswer } from '@/lib/kubevirt/actions';
import { restartRequired } from '@/lib/kubevirt/edits';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';

// KubeVirt's RestartRequired condition on the VM page, above every tab: a change the running guest gets only when
// it restarts, KubeVirt's own sentence about it, and the Restart action itself (the declared one, with its access
// review and its rules). The condition is followed live, so the banner goes when the restarted VM has the change.
export function RestartRequiredBanner({
  vm,
  vmi,
  allowed,
  migrations,
}: {
  vm: VirtualMachine;
  vmi?: VirtualMachineInstance;
  allowed: (key: string) => AccessAnswer;
  migrations?: readonly VirtualMachineInstanceMigration[];
}) {
  const t = useT();
  const run = useVmAction();
  const [busy, setBusy] = useState(false);
  const condition = restartRequired(vm);
  if (!condition) return null;
  const entry = menuEntries(vm, vmi, allowed, migrations).find((e) => e.def.id === 'restart')!;
  const restart = async () => {
    setBusy(true);
    await run(VM_ACTIONS.restart, vm);
    setBusy(false);
  };
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="restart-required">
      <div className="min-w-0 flex-1">
        <p className="font-semibold">{t('edit.restart.title')}</p>
        <p>{t('edit.restart.body')}</p>
        {condition.message ? (
          <p className="mt-0.5 text-xs" data-testid="restart-required-message">
            {interpolate(t('edit.restart.kubevirt'), { message: <Data>{condition.message}</Data> })}
          </p>
        ) : null}
      </div>
      <div className="flex flex-col items-end gap-1">
        <button
          type="button"
          className="rounded bg-amber-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-800 disabled:cursor-not-allowed disabled:opacity-50"
          disabled={!entry.enabled || busy}
          aria-describedby={entry.enabled ? undefined : 'restart-required-reason'}
          onClick={() => void restart()}
          data-testid="restart-required-restart"
        >
          {t(VM_ACTIONS.restart.labelKey)}
        </button>
        {entry.enabled ? null : (
          <span id="restart-required-reason" className="text-xs" data-testid="restart-required-reason">
            {reasonNode(entry, t)}
          </span>
        )}
      </div>
    </div>
  );
}
