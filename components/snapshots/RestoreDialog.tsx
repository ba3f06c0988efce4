'use client';
import { useId, useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useT } from '../i18n/I18nProvider';
import { accessBlock } from './access';
import { InlineError } from './InlineError';
import { restoreSnapshot } from './use-snapshots';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { accessKey, VM_ACTIONS, type AccessAnswer } from '@/lib/kubevirt/actions';
import { vmName as vmNameSchema } from '@/lib/kubevirt/create/form';
import { needsStopForRestore, restorePlan, type SnapshotView } from '@/lib/kubevirt/snapshots';
import type { RestoreResponse } from '@/lib/kubevirt/snapshot-requests';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import type { MessageKey } from '@/lib/i18n/locales';

// The restore confirmation: what will be replaced (the VM's disks the snapshot holds), what stays, and for a running
// VM the offer to stop it first and start it again afterwards. Or a restore into a new VM, under a name not in use.
export function RestoreDialog({
  vm,
  vmi,
  snapshot,
  allowed,
  onClose,
  onRestoring,
}: {
  vm: VirtualMachine;
  vmi?: VirtualMachineInstance;
  snapshot: SnapshotView;
  allowed: (key: string) => AccessAnswer;
  onClose: () => void;
  onRestoring: (r: RestoreResponse, startAfter: boolean) => void;
}) {
  const t = useT();
  const id = useId();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const [mode, setMode] = useState<'self' | 'new'>('self');
  const [newName, setNewName] = useState(`${name.slice(0, 54).replace(/-+$/, '')}-restored`);
  const running = needsStopForRestore(vm, vmi);
  const [stopFirst, setStopFirst] = useState(false);
  const [startAfter, setStartAfter] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const plan = restorePlan(vm, snapshot);

  const stopBlock = accessBlock(allowed(accessKey(namespace, VM_ACTIONS.stop.access)), VM_ACTIONS.stop.access, t);
  const startBlock = accessBlock(allowed(accessKey(namespace, VM_ACTIONS.start.access)), VM_ACTIONS.start.access, t);
  const parsedName = vmNameSchema.safeParse(newName);
  const nameProblem: MessageKey | undefined = parsedName.success ? (newName === name ? 'restore.new.sameName' : undefined) : (`create.error.${parsedName.error.issues[0]?.message ?? 'name.dns1123'}` as MessageKey);
  const inPlace = mode === 'self';
  const ready = inPlace ? !running || stopFirst : !nameProblem;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await restoreSnapshot(namespace, name, { snapshot: snapshot.name, ...(inPlace ? { stopFirst: running && stopFirst } : { target: newName }) });
      onRestoring(r, inPlace && r.stopped && startAfter && !startBlock);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={t('restore.title', { snapshot: snapshot.name })} testId="restore-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !busy) void submit();
        }}
      >
        <InlineError error={error} />
        <fieldset className="mb-3 text-sm">
          <legend className="mb-1 font-medium">{t('restore.target')}</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-mode`} data-testid="restore-target-self" checked={inPlace} onChange={() => setMode('self')} />
            {interpolate(t('restore.target.self'), { name: <Data className="font-mono">{name}</Data> })}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-mode`} data-testid="restore-target-new" checked={!inPlace} onChange={() => setMode('new')} />
            {t('restore.target.new')}
          </label>
        </fieldset>

        {inPlace ? (
          <div className="mb-3 flex flex-col gap-2 text-sm" data-testid="restore-plan">
            {plan.replaced.length ? (
              <div>
                <p className="mb-1">{interpolate(t('restore.replaced'), { name: <Data className="font-mono">{name}</Data> })}</p>
                <ul className="list-disc pl-5">
                  {plan.replaced.map((d) => (
                    <li key={d.volume} data-testid="restore-replaced" data-volume={d.volume}>
                      {d.claim
                        ? interpolate(t('restore.replacedDisk'), { disk: <Data className="font-mono">{d.volume}</Data>, claim: <Data className="font-mono">{d.claim}</Data> })
                        : interpolate(t('restore.replacedDiskGone'), { disk: <Data className="font-mono">{d.volume}</Data> })}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p data-testid="restore-no-disks">{t('restore.noDisks')}</p>
            )}
            {plan.kept.length ? (
              <p data-testid="restore-kept">
                {interpolate(t('restore.kept'), {
                  disks: (
                    <>
                      {plan.kept.map((k, i) => (
                        <span key={k}>
                          {i ? ', ' : ''}
                          <Data className="font-mono">{k}</Data>
                        </span>
                      ))}
                    </>
                  ),
                })}
              </p>
            ) : null}
            <p className="text-slate-600">{t('restore.settings')}</p>
            {running ? (
              <div className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="restore-running">
                <p className="mb-2">{t('restore.running')}</p>
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    data-testid="restore-stop-first"
                    className="mt-1"
                    checked={stopFirst}
                    disabled={Boolean(stopBlock)}
                    aria-describedby={stopBlock ? `${id}-stop-why` : undefined}
                    onChange={(e) => setStopFirst(e.target.checked)}
                  />
                  <span>
                    {t('restore.stopFirst')}
                    {stopBlock ? (
                      <span id={`${id}-stop-why`} className="block text-xs text-slate-600" data-testid="restore-stop-reason">
                        {stopBlock.node}
                      </span>
                    ) : null}
                  </span>
                </label>
                <label className="mt-1 flex items-start gap-2">
                  <input
                    type="checkbox"
                    data-testid="restore-start-after"
                    className="mt-1"
                    checked={stopFirst && startAfter && !startBlock}
                    disabled={!stopFirst || Boolean(startBlock)}
                    aria-describedby={startBlock ? `${id}-start-why` : undefined}
                    onChange={(e) => setStartAfter(e.target.checked)}
                  />
                  <span>
                    {t('restore.startAfter')}
                    {startBlock ? (
                      <span id={`${id}-start-why`} className="block text-xs text-slate-600">
                        {startBlock.node}
                      </span>
                    ) : null}
                  </span>
                </label>
              </div>
            ) : null}
          </div>
        ) : (
          <div className="mb-3 flex flex-col gap-2 text-sm">
            <label className="block" htmlFor={`${id}-new`}>
              <span className="mb-1 block font-medium">{t('restore.new.name')}</span>
              <input
                id={`${id}-new`}
                data-testid="restore-new-name"
                className="w-full rounded border border-slate-300 px-2 py-1 font-mono"
                value={newName}
                maxLength={63}
                aria-invalid={Boolean(nameProblem)}
                aria-describedby={`${id}-new-help`}
                onChange={(e) => setNewName(e.target.value)}
              />
              <span id={`${id}-new-help`} className={`mt-1 block text-xs ${nameProblem ? 'text-red-700' : 'text-slate-500'}`}>
                {t(nameProblem ?? 'restore.new.help')}
              </span>
            </label>
            <p>{interpolate(t('restore.new.explain'), { name: <Data className="font-mono">{name}</Data> })}</p>
          </div>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="restore-submit" disabled={!ready || busy} className="rounded bg-red-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
            {t(busy ? 'restore.busy' : inPlace && running && stopFirst ? 'restore.submitStop' : 'restore.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
