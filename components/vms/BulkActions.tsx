'use client';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { describeError } from './describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { runVmAction } from './use-vm-action';
import { VM_ACTION_IDS, VM_ACTIONS, type AccessAnswer, type VmActionDef } from '@/lib/kubevirt/actions';
import { splitForBulk, type BulkSplit } from '@/lib/kubevirt/bulk';
import type { VmRow } from '@/lib/kubevirt/rows';

const CONCURRENCY = 8;

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// Bulk start/stop/restart/delete: the confirmation names every VM it will act on (and those it skips, with why
// skipped); the selection is cleared once the requests are done. The confirmation follows the selection and the
// access reviews as they answer, so one opened before a review came back waits for it instead of skipping the VM.
export function BulkActions({ rows, allowed, onDone }: { rows: VmRow[]; allowed: (key: string) => AccessAnswer; onDone: () => void }) {
  const t = useT();
  const toast = useToast();
  const [pending, setPending] = useState<VmActionDef | null>(null);
  // While the requests run, the dialog shows what was confirmed, not a list that shrinks as the VMs go.
  const [running, setRunning] = useState<BulkSplit | null>(null);
  const split = running ?? (pending ? splitForBulk(rows, pending, allowed) : undefined);

  const execute = async () => {
    if (!pending || !split || split.checking.length) return;
    const def = pending;
    const { targets } = split;
    setRunning(split);
    let ok = 0;
    const failures: string[] = [];
    await inBatches(targets, async (r) => {
      try {
        await runVmAction(def, r.vm);
        ok++;
      } catch (err) {
        const { summary, reason } = describeError(err, t);
        failures.push(`${r.name}: ${reason ?? summary}`);
      }
    });
    setRunning(null);
    setPending(null);
    toast({ tone: failures.length ? 'error' : 'success', title: t('bulk.done', { action: t(def.labelKey), ok, failed: failures.length }), body: failures.length ? <Data>{failures.slice(0, 5).join('\n')}</Data> : undefined });
    onDone();
  };

  return (
    <div className="flex flex-wrap items-center gap-2 rounded bg-sky-100 px-3 py-2 text-sm" data-testid="bulk-bar">
      <span className="font-medium">{t('bulk.selected', { count: rows.length })}</span>
      {VM_ACTION_IDS.filter((id) => VM_ACTIONS[id].bulk).map((id) => (
        <button key={id} type="button" data-testid={`bulk-${id}`} className={`rounded border px-2 py-1 ${VM_ACTIONS[id].danger ? 'border-red-300 text-red-800' : 'border-sky-300'} bg-white hover:bg-slate-50`} onClick={() => setPending(VM_ACTIONS[id])}>
          {t(VM_ACTIONS[id].labelKey)}
        </button>
      ))}
      <button type="button" className="ml-auto text-sky-800 hover:underline" onClick={onDone}>
        {t('bulk.clear')}
      </button>
      {pending && split ? (
        <Dialog open onClose={() => !running && setPending(null)} title={t('bulk.confirmTitle', { action: t(pending.labelKey), count: split.targets.length })} testId="bulk-confirm">
          {split.targets.length ? (
            <>
              <p className="mb-2 text-slate-700">{t('bulk.confirmBody', { action: t(pending.labelKey) })}</p>
              <ul className="mb-3 max-h-48 list-disc overflow-auto pl-6 font-mono text-sm" data-testid="bulk-targets" translate="no">
                {split.targets.map((r) => (
                  <li key={r.key}>
                    {r.namespace}/{r.name}
                  </li>
                ))}
              </ul>
            </>
          ) : split.checking.length ? null : (
            <p className="mb-3 text-slate-700">{t('bulk.nothing')}</p>
          )}
          {split.checking.length ? (
            <p className="mb-3 text-sm text-slate-500" role="status" data-testid="bulk-checking">
              {interpolate(t('bulk.checking'), { names: <Data>{split.checking.map((r) => r.name).join(', ')}</Data> })}
            </p>
          ) : null}
          {split.skipped.length ? <p className="mb-3 text-sm text-slate-500">{interpolate(t('bulk.skipped'), { names: <Data>{split.skipped.map((r) => r.name).join(', ')}</Data> })}</p> : null}
          <div className="flex justify-end gap-2">
            <button type="button" className="rounded border border-slate-300 px-3 py-1.5" disabled={running !== null} onClick={() => setPending(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" data-testid="bulk-confirm-submit" disabled={running !== null || !split.targets.length || split.checking.length > 0} className={`rounded px-3 py-1.5 font-medium text-white disabled:opacity-40 ${pending.danger ? 'bg-red-700' : 'bg-sky-700'}`} onClick={() => void execute()}>
              {running ? t('common.loading') : t(pending.labelKey)}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
