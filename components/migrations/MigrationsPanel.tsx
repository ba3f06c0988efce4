'use client';
import { useMemo, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ConfirmActionDialog } from '../vms/ConfirmActionDialog';
import { describeError } from '../vms/describe-error';
import { ErrorPanel } from '../vms/ErrorPanel';
import { useVmAction } from '../vms/use-vm-action';
import { MigrationBlockText } from './MigrationBlockText';
import { MigrationHistory } from './MigrationHistory';
import { MigrationTimeline } from './MigrationTimeline';
import { ApiError } from '@/lib/live/api-client';
import { accessKey, VM_ACTIONS, type AccessAnswer } from '@/lib/kubevirt/actions';
import { activeMigration, isFinished, migratable, migrationsOfVm, migrationTimeline } from '@/lib/kubevirt/migrations';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';

export interface MigrationList {
  items: VirtualMachineInstanceMigration[];
  isPending: boolean;
  error: unknown;
  refetch?: () => unknown;
}

// The VM page's Migrations tab: whether the VM can be live-migrated (and why not), the migration in progress (or
// the last one) as a timeline with its Cancel button, then the VM's finished migrations. Live: the namespace's
// VirtualMachineInstanceMigrations are followed by the page (useLiveList) and filtered to this VM's here.
export function MigrationsPanel({ vm, vmi, list, allowed }: { vm: VirtualMachine; vmi?: VirtualMachineInstance; list: MigrationList; allowed: (key: string) => AccessAnswer }) {
  const t = useT();
  const run = useVmAction();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const mine = useMemo(() => migrationsOfVm(list.items, name, namespace), [list.items, name, namespace]);
  const active = activeMigration(mine);
  const shown = active ?? mine[0];
  const tl = shown ? migrationTimeline(shown, vmi) : undefined;
  const past = useMemo(() => mine.filter(isFinished).map((m) => migrationTimeline(m)), [mine]);

  const cancelDef = VM_ACTIONS.cancelMigration;
  const access = allowed(accessKey(namespace, cancelDef.access));
  const cancelReason = (() => {
    if (access === true) return undefined;
    if (access === false) return t('reason.forbidden', { verb: cancelDef.access.verb, resource: cancelDef.access.resource });
    if (access === undefined) return t('reason.checking');
    const { summary, reason } = describeError(access.failed, t);
    return t('reason.accessFailed', { reason: reason ?? summary });
  })();

  const m = vmi ? migratable(vmi, vm) : undefined;
  const forbidden = list.error instanceof ApiError && list.error.status === 403;

  return (
    <div className="flex flex-col gap-4" data-testid="migrations-panel">
      <p className="rounded border border-slate-200 bg-white p-3 text-sm" data-testid="migration-migratable" data-ok={m?.ok === true}>
        {!m ? t('migration.panel.notRunning') : m.ok ? t('migration.panel.canMigrate') : (
          <>
            <span className="mb-1 block font-medium">{t('migration.panel.cannotMigrate')}</span>
            <MigrationBlockText block={m.block} withDetail />
          </>
        )}
      </p>
      {forbidden ? (
        <p className="p-2 text-slate-600" data-testid="migrations-forbidden">
          {t('migration.panel.forbidden')}
        </p>
      ) : list.error ? (
        <ErrorPanel error={list.error} onRetry={list.refetch ? () => void list.refetch?.() : undefined} />
      ) : list.isPending ? (
        <p className="p-2 text-slate-600">{t('migration.panel.loading')}</p>
      ) : (
        <>
          {tl ? (
            <MigrationTimeline
              tl={tl}
              active={Boolean(active)}
              actions={
                active ? (
                  <button
                    type="button"
                    data-testid="migration-cancel"
                    disabled={busy || !tl.cancellable || access !== true}
                    title={tl.cancelling ? t('migration.reason.cancelling') : cancelReason}
                    className="rounded border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50"
                    onClick={() => setConfirming(true)}
                  >
                    {t('migration.cancel')}
                  </button>
                ) : undefined
              }
            />
          ) : (
            <p className="p-2 text-slate-600" data-testid="migration-none">
              {t('migration.panel.none')}
            </p>
          )}
          <MigrationHistory past={past} />
        </>
      )}
      {confirming && tl ? (
        <ConfirmActionDialog
          def={cancelDef}
          name={name}
          typeName={false}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            setBusy(true);
            void run(cancelDef, vm, { migration: tl.name }).finally(() => setBusy(false));
          }}
        />
      ) : null}
    </div>
  );
}
