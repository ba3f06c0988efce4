'use client';
import Link from 'next/link';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { ErrorPanel } from '../vms/ErrorPanel';
import { accessBlock, firstBlock, OpButton, ruleBlock } from './access';
import { CloneDialog } from './CloneDialog';
import { IndicationList, VolumeNames, ExclusionList } from './parts';
import { RestoreDialog } from './RestoreDialog';
import { restoreStepKey } from './RestoreProgress';
import { intentKey, useRestoreIntents } from './restore-intents';
import { SnapshotPlan } from './SnapshotPlan';
import { ColumnHeads, MadeFromSnapshots, NameCell, StepCell, TimeCell } from './tables';
import { TakeSnapshotDialog } from './TakeSnapshotDialog';
import { deleteSnapshot, useSnapshotAccess, useSnapshotDetails, useVmSnapshots } from './use-snapshots';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { ApiError } from '@/lib/live/api-client';
import type { AccessAnswer } from '@/lib/kubevirt/actions';
import { formatBytes } from '@/lib/kubevirt/quantity';
import { cloneStepKey, cloneView, exclusionOf, restoreView, SNAPSHOT_OPS, snapshotView, usable, type SnapshotView } from '@/lib/kubevirt/snapshots';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import type { MessageKey } from '@/lib/i18n/locales';

const PHASE_TONE: Record<string, string> = {
  Succeeded: 'bg-emerald-100 text-emerald-900',
  InProgress: 'bg-sky-100 text-sky-900',
  Failed: 'bg-red-100 text-red-900',
  Deleting: 'bg-slate-200 text-slate-700',
  Unknown: 'bg-slate-200 text-slate-700',
};

const vmHref = (namespace: string, name: string) => `/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

function SizeCell({ namespace, vm, view }: { namespace: string; vm: string; view: SnapshotView }) {
  const { t } = useI18n();
  const details = useSnapshotDetails(namespace, vm, view.name, view.uid, usable(view));
  if (!usable(view)) return <span className="text-slate-500">—</span>;
  if (details.isPending) return <span className="text-slate-500">{t('common.loading')}</span>;
  if (details.error) {
    const { summary } = describeError(details.error, t);
    return (
      <span className="text-slate-500" data-testid="snapshot-size" data-state="error" title={summary}>
        {t('snapshot.size.failed')}
      </span>
    );
  }
  const d = details.data;
  if (!d.readable) {
    return (
      <span className="text-slate-500" data-testid="snapshot-size" data-state="unreadable">
        {t('snapshot.size.notReadable')}
      </span>
    );
  }
  if (d.totalBytes !== undefined) {
    return (
      <span data-testid="snapshot-size" data-state="known" data-bytes={d.totalBytes} title={d.volumes.map((v) => `${v.volume}: ${v.restoreSize ?? '?'}`).join(', ')}>
        {formatBytes(d.totalBytes)}
      </span>
    );
  }
  return (
    <span className="text-slate-500" data-testid="snapshot-size" data-state={d.volumes.length ? 'partial' : 'empty'}>
      {t(d.volumes.length ? 'snapshot.size.partial' : 'snapshot.size.noVolumes')}
    </span>
  );
}

function SnapshotRow({
  view,
  vm,
  onRestore,
  onClone,
  onDelete,
  access,
}: {
  view: SnapshotView;
  vm: VirtualMachine;
  onRestore: () => void;
  onClone: () => void;
  onDelete: () => void;
  access: (op: keyof typeof SNAPSHOT_OPS) => AccessAnswer;
}) {
  const { t, locale } = useI18n();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const statuses = vm.status?.volumeSnapshotStatuses ?? [];
  const excluded = (view.volumes?.excluded ?? []).map((v) => exclusionOf(v, statuses.find((s) => s.name === v)?.reason, vm));
  const notUsable = usable(view) ? undefined : ruleBlock(view.deleting ? 'snapshot.reason.deleting' : 'snapshot.reason.notReady', t);
  const restoreBlock = firstBlock(
    accessBlock(access('restore'), SNAPSHOT_OPS.restore.access, t),
    notUsable,
    vm.status?.restoreInProgress ? ruleBlock('snapshot.reason.restoreInProgress', t, { restore: vm.status.restoreInProgress }) : undefined,
  );
  const cloneBlock = firstBlock(accessBlock(access('clone'), SNAPSHOT_OPS.clone.access, t), notUsable);
  const deleteBlock = firstBlock(accessBlock(access('deleteSnapshot'), SNAPSHOT_OPS.deleteSnapshot.access, t), view.deleting ? ruleBlock('snapshot.reason.deleting', t) : undefined);
  const rowId = `snap-${view.name}`;
  return (
    <tr className="border-b border-slate-100 align-top" data-testid="snapshot-row" data-snapshot={view.name} data-phase={view.phase} data-ready={view.readyToUse}>
      <td className="py-2 pr-3">
        <Data className="font-mono">{view.name}</Data>
        {view.description ? (
          <span className="block text-xs text-slate-600" data-testid="snapshot-description">
            <Data>{view.description}</Data>
          </span>
        ) : null}
      </td>
      <td className="py-2 pr-3">
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${PHASE_TONE[view.phase] ?? PHASE_TONE.Unknown}`} data-testid="snapshot-phase" data-phase={view.phase}>
          {t(`snapshot.phase.${view.phase}` as MessageKey)}
        </span>
        {view.detail ? (
          <span className="mt-1 block text-xs text-slate-600">
            <Data>{view.detail}</Data>
          </span>
        ) : null}
      </td>
      <td className="py-2 pr-3" data-testid="snapshot-ready">
        {t(view.readyToUse ? 'common.yes' : 'common.no')}
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">{formatTimestamp(view.created, locale)}</td>
      <td className="py-2 pr-3 whitespace-nowrap">
        <SizeCell namespace={namespace} vm={name} view={view} />
      </td>
      <td className="py-2 pr-3">
        <IndicationList items={view.indications} />
      </td>
      <td className="py-2 pr-3">
        {view.volumes ? (
          <>
            <p className="text-xs">
              <span className="mr-1 text-slate-600">{t('snapshot.volumes.included')}</span>
              <VolumeNames names={view.volumes.included} testId="snapshot-included" />
            </p>
            {excluded.length ? (
              <div className="mt-1 text-xs">
                <span className="text-slate-600">{t('snapshot.volumes.excluded')}</span>
                <ExclusionList items={excluded} />
              </div>
            ) : null}
          </>
        ) : (
          <span className="text-xs text-slate-500">{t('snapshot.volumes.notYet')}</span>
        )}
      </td>
      <td className="py-2">
        <div className="flex flex-wrap gap-1">
          <OpButton id={`${rowId}-restore`} testId="snapshot-restore" block={restoreBlock} onClick={onRestore}>
            {t('snapshot.op.restore')}
          </OpButton>
          <OpButton id={`${rowId}-clone`} testId="snapshot-clone" block={cloneBlock} onClick={onClone}>
            {t('snapshot.op.clone')}
          </OpButton>
          <OpButton id={`${rowId}-delete`} testId="snapshot-delete" tone="danger" block={deleteBlock} onClick={onDelete}>
            {t('snapshot.op.delete')}
          </OpButton>
        </div>
      </td>
    </tr>
  );
}

function DeleteSnapshotDialog({ vm, view, onClose }: { vm: VirtualMachine; view: SnapshotView; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const submit = async () => {
    setBusy(true);
    try {
      await deleteSnapshot(namespace, name, view.name, view.uid);
      toast({ tone: 'success', title: interpolate(t('snapshot.delete.done'), { name: <Data>{view.name}</Data> }) });
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const err = error ? describeError(error, t) : undefined;
  return (
    <Dialog open onClose={onClose} title={t('snapshot.delete.title', { name: view.name })} testId="delete-snapshot-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        {err ? (
          <p role="alert" className="mb-3 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900">
            {err.summary} {err.reason ? interpolate(t('error.apiSaid'), { reason: <Data>{err.reason}</Data> }) : null}
          </p>
        ) : null}
        <p className="mb-4 text-slate-700">{interpolate(t('snapshot.delete.confirm'), { name: <Data className="font-mono">{view.name}</Data> })}</p>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="confirm-submit" disabled={busy} autoFocus className="rounded bg-red-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
            {t('snapshot.op.delete')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// The VM page's Snapshots tab: what a snapshot holds (before one is taken), taking one, the VM's snapshots live with
// their phase, readiness, time, size, indications and volumes; restoring, cloning and deleting each; then the
// restores and clones made from them. `allowed`: the page's VM action reviews (stop/start around a restore).
export function VmSnapshotsTab({ vm, vmi, allowed }: { vm: VirtualMachine; vmi?: VirtualMachineInstance; allowed: (key: string) => AccessAnswer }) {
  const { t } = useI18n();
  const toast = useToast();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const { snapshots, restores, clones } = useVmSnapshots(namespace, name);
  const checks = useSnapshotAccess(namespace);
  const access = (op: keyof typeof SNAPSHOT_OPS) => checks(SNAPSHOT_OPS[op].access);
  const { set } = useRestoreIntents();
  const [taking, setTaking] = useState(false);
  const [restoring, setRestoring] = useState<SnapshotView | null>(null);
  const [cloning, setCloning] = useState<{ snapshot?: string } | null>(null);
  const [deleting, setDeleting] = useState<SnapshotView | null>(null);

  const takeBlock = accessBlock(access('takeSnapshot'), SNAPSHOT_OPS.takeSnapshot.access, t);
  // Read-only: every change refused by the cluster for this user (not while the reviews are still being asked).
  const readOnly = (['takeSnapshot', 'deleteSnapshot', 'restore', 'clone'] as const).every((op) => access(op) === false);
  const views = snapshots.items.map(snapshotView);
  const forbidden = snapshots.error instanceof ApiError && snapshots.error.status === 403;

  return (
    <div className="flex flex-col gap-4" data-testid="snapshots-tab">
      {readOnly && takeBlock ? (
        <p className="rounded border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="snapshots-readonly">
          <span className="mb-1 block font-medium">{t('snapshot.readOnly')}</span>
          {takeBlock.node}
        </p>
      ) : null}
      <section className="rounded border border-slate-200 bg-white p-4">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <h2 className="font-semibold">{t('snapshot.take.heading')}</h2>
          <div className="ml-auto">
            <OpButton id="snapshot-take" testId="snapshot-take" tone="primary" block={takeBlock} onClick={() => setTaking(true)}>
              {t('snapshot.op.take')}
            </OpButton>
          </div>
        </div>
        <SnapshotPlan vm={vm} compact />
        {vm.status?.snapshotInProgress ? (
          <p className="mt-2 text-sm text-sky-800" data-testid="snapshot-in-progress">
            {interpolate(t('snapshot.inProgress'), { name: <Data className="font-mono">{vm.status.snapshotInProgress}</Data> })}
          </p>
        ) : null}
      </section>

      <section className="rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-semibold">{t('snapshot.list.heading')}</h2>
        {forbidden ? (
          <p className="text-slate-600" data-testid="snapshots-forbidden">
            {t('snapshot.list.forbidden')}
          </p>
        ) : snapshots.error ? (
          <ErrorPanel error={snapshots.error} onRetry={() => void snapshots.refetch()} />
        ) : snapshots.isPending ? (
          <p className="text-slate-600">{t('common.loading')}</p>
        ) : views.length === 0 ? (
          <p className="text-slate-600" data-testid="snapshots-none">
            {t('snapshot.list.none')}
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="snapshots">
              <ColumnHeads keys={['snapshot.col.name', 'snapshot.col.phase', 'snapshot.col.ready', 'snapshot.col.taken', 'snapshot.col.size', 'snapshot.col.indications', 'snapshot.col.volumes', 'snapshot.col.actions']} />
              <tbody>
                {views.map((v) => (
                  <SnapshotRow
                    key={v.uid ?? v.name}
                    view={v}
                    vm={vm}
                    access={access}
                    onRestore={() => setRestoring(v)}
                    onClone={() => setCloning({ snapshot: v.name })}
                    onDelete={() => setDeleting(v)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <MadeFromSnapshots
        heading="restore.list.heading"
        list={restores}
        none="restore.list.none"
        noneTestId="restores-none"
        testId="restores"
        columns={['restore.col.name', 'restore.col.snapshot', 'restore.col.target', 'restore.col.result', 'restore.col.when']}
      >
        {restores.items.map(restoreView).map((r) => (
          <tr key={r.name} className="border-b border-slate-100 align-top" data-testid="restore-row" data-restore={r.name} data-step={r.step}>
            <NameCell name={r.name} />
            <NameCell name={r.snapshot} />
            <td className="py-1 pr-3">
              {r.target === name ? (
                <Data className="font-mono">{r.target}</Data>
              ) : (
                <Link href={vmHref(namespace, r.target)} className="text-sky-700 hover:underline">
                  <Data className="font-mono">{r.target}</Data>
                </Link>
              )}
            </td>
            <StepCell step={restoreStepKey(r.step)} detail={r.detail}>
              {r.stoppedByPortal ? <span className="block text-xs text-slate-600">{t('restore.list.stoppedByPortal')}</span> : null}
            </StepCell>
            <TimeCell at={r.restoreTime ?? r.created} />
          </tr>
        ))}
      </MadeFromSnapshots>

      <MadeFromSnapshots
        heading="clone.list.heading"
        list={clones}
        none="clone.list.none"
        noneTestId="clones-none"
        testId="clones"
        columns={['clone.col.name', 'clone.col.source', 'clone.col.target', 'clone.col.phase', 'clone.col.when']}
      >
        {clones.items.map(cloneView).map((c) => (
          <tr key={c.name} className="border-b border-slate-100 align-top" data-testid="clone-row" data-clone={c.name} data-phase={c.phase}>
            <NameCell name={c.name} />
            <td className="py-1 pr-3">
              {interpolate(t(c.source.kind === 'VirtualMachineSnapshot' ? 'clone.source.snapshot' : 'clone.source.vm'), { name: <Data className="font-mono">{c.source.name}</Data> })}
            </td>
            <td className="py-1 pr-3">
              {c.target ? (
                <Link href={vmHref(namespace, c.target)} className="text-sky-700 hover:underline" data-testid="clone-row-target">
                  <Data className="font-mono">{c.target}</Data>
                </Link>
              ) : (
                '—'
              )}
            </td>
            <StepCell step={cloneStepKey(c.phase)} detail={c.detail} />
            <TimeCell at={c.created} />
          </tr>
        ))}
      </MadeFromSnapshots>

      {taking ? <TakeSnapshotDialog vm={vm} onClose={() => setTaking(false)} /> : null}
      {restoring ? (
        <RestoreDialog
          vm={vm}
          vmi={vmi}
          snapshot={restoring}
          allowed={allowed}
          onClose={() => setRestoring(null)}
          onRestoring={(r, startAfter) => {
            set(intentKey(namespace, r.restore), { startAfter, start: 'waiting' });
            setRestoring(null);
            toast({ tone: 'success', title: interpolate(t('restore.started'), { name: <Data>{r.target}</Data> }) });
          }}
        />
      ) : null}
      {cloning ? <CloneDialog vm={vm} snapshot={cloning.snapshot} onClose={() => setCloning(null)} /> : null}
      {deleting ? <DeleteSnapshotDialog vm={vm} view={deleting} onClose={() => setDeleting(null)} /> : null}
    </div>
  );
}
