'use client';
import { useId, useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { InlineError } from './InlineError';
import { SnapshotPlan } from './SnapshotPlan';
import { takeSnapshot } from './use-snapshots';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { DEFAULT_FAILURE_DEADLINE_MINUTES, defaultSnapshotName, MAX_DESCRIPTION, MAX_FAILURE_DEADLINE_MINUTES } from '@/lib/kubevirt/snapshots';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { objectName } from '@/lib/shared/names';

// Taking a snapshot: its name (prefilled, sortable by time), a description (kept as an annotation), how long
// KubeVirt may take before it marks the snapshot failed, and what the snapshot will and will not hold.
export function TakeSnapshotDialog({ vm, onClose }: { vm: VirtualMachine; onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const id = useId();
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';
  const [name, setName] = useState(() => defaultSnapshotName(vmName, new Date()));
  const [description, setDescription] = useState('');
  const [deadline, setDeadline] = useState(String(DEFAULT_FAILURE_DEADLINE_MINUTES));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameOk = objectName.safeParse(name).success;
  const minutes = Number(deadline);
  const deadlineOk = Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_FAILURE_DEADLINE_MINUTES;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await takeSnapshot(namespace, vmName, { name, ...(description.trim() ? { description: description.trim() } : {}), failureDeadlineMinutes: minutes });
      toast({ tone: 'success', title: interpolate(t('snapshot.take.done'), { name: <Data>{name}</Data> }) });
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={t('snapshot.take.title', { name: vmName })} testId="take-snapshot-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (nameOk && deadlineOk && !busy) void submit();
        }}
      >
        <InlineError error={error} />
        <label className="mb-3 block text-sm" htmlFor={`${id}-name`}>
          <span className="mb-1 block font-medium">{t('snapshot.field.name')}</span>
          <input
            id={`${id}-name`}
            data-testid="snapshot-name"
            className="w-full rounded border border-slate-300 px-2 py-1 font-mono"
            value={name}
            maxLength={253}
            aria-invalid={!nameOk}
            aria-describedby={`${id}-name-help`}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
          <span id={`${id}-name-help`} className={`mt-1 block text-xs ${nameOk ? 'text-slate-500' : 'text-red-700'}`}>
            {t(nameOk ? 'snapshot.field.nameHelp' : 'snapshot.field.nameInvalid')}
          </span>
        </label>
        <label className="mb-3 block text-sm" htmlFor={`${id}-desc`}>
          <span className="mb-1 block font-medium">{t('snapshot.field.description')}</span>
          <textarea
            id={`${id}-desc`}
            data-testid="snapshot-description"
            className="w-full rounded border border-slate-300 px-2 py-1"
            rows={2}
            maxLength={MAX_DESCRIPTION}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label className="mb-3 block text-sm" htmlFor={`${id}-deadline`}>
          <span className="mb-1 block font-medium">{t('snapshot.field.deadline')}</span>
          <input
            id={`${id}-deadline`}
            data-testid="snapshot-deadline"
            type="number"
            min={1}
            max={MAX_FAILURE_DEADLINE_MINUTES}
            step={1}
            className="w-28 rounded border border-slate-300 px-2 py-1"
            value={deadline}
            aria-invalid={!deadlineOk}
            aria-describedby={`${id}-deadline-help`}
            onChange={(e) => setDeadline(e.target.value)}
          />
          <span id={`${id}-deadline-help`} className={`mt-1 block text-xs ${deadlineOk ? 'text-slate-500' : 'text-red-700'}`}>
            {t('snapshot.field.deadlineHelp', { max: MAX_FAILURE_DEADLINE_MINUTES })}
          </span>
        </label>
        <div className="mb-4 rounded border border-slate-200 bg-slate-50 p-3">
          <SnapshotPlan vm={vm} compact />
        </div>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="snapshot-submit" disabled={!nameOk || !deadlineOk || busy} className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
            {t(busy ? 'snapshot.take.busy' : 'snapshot.op.take')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
