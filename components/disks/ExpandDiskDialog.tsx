'use client';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { DialogButtons, FailedAlert } from './dialog-end';
import { sizeExamples, sizeText } from './disk-text';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch } from '@/lib/live/api-client';
import { checkExpansion, type ClaimFacts, type DiskRow } from '@/lib/kubevirt/disks';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

const inputClass = 'w-full rounded border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm aria-[invalid=true]:border-red-600';

/**
 * Grows the claim behind a disk: a new, larger size (Kubernetes never shrinks a claim), where its class allows it.
 * What happens next is said before it is asked: the storage driver grows the volume, then KubeVirt hands the guest
 * the larger disk, at once with its ExpandDisks feature gate or after a restart; the guest's own partition and file
 * system stay as they are until grown inside it.
 */
export function ExpandDiskDialog({
  vm,
  row,
  claim,
  classAllows,
  running,
  onClose,
  onExpanded,
}: {
  vm: VirtualMachine;
  row: DiskRow;
  claim: ClaimFacts;
  classAllows: boolean | undefined;
  running: boolean;
  onClose: () => void;
  onExpanded: (size: string) => void;
}) {
  const t = useT();
  const toast = useToast();
  const [size, setSize] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';
  const problem = checkExpansion(
    { spec: { storageClassName: claim.storageClass, resources: { requests: { storage: claim.request } } }, status: { phase: claim.phase, capacity: { storage: claim.capacity } } },
    size,
    classAllows,
  );
  const shown = tried || size !== '' ? problem : undefined;
  const problemText = !shown
    ? null
    : shown.key === 'disks.error.notLarger'
      ? interpolate(t(shown.key), { current: <Data>{sizeText(shown.vars.current)}</Data> })
      : shown.key === 'disks.reason.notExpandable'
        ? interpolate(t(shown.key), { storageClass: <Data>{shown.vars.storageClass}</Data> })
        : interpolate(t(shown.key), sizeExamples);

  const submit = async () => {
    setTried(true);
    if (problem || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await apiFetch(apiPaths.vmDisk(namespace, vmName, row.name), { method: 'PATCH', body: { size } });
      onExpanded(size);
      toast({ tone: 'success', title: interpolate(t('disks.expand.done'), { claim: <Data>{claim.name}</Data>, size: <Data>{sizeText(size)}</Data> }) });
      onClose();
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={t('disks.expand.title', { disk: row.name })} testId="expand-disk-dialog">
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
          <dt className="text-slate-500">{t('disks.expand.claim')}</dt>
          <dd>
            <Data className="font-mono">{claim.name}</Data>
          </dd>
          <dt className="text-slate-500">{t('disks.expand.capacity')}</dt>
          <dd data-testid="expand-disk-capacity">
            <Data>{sizeText(claim.capacity) || '—'}</Data>
            {claim.request && claim.request !== claim.capacity ? <> ({interpolate(t('disks.size.requested'), { size: <Data>{sizeText(claim.request)}</Data> })})</> : null}
          </dd>
          <dt className="text-slate-500">{t('create.storage.class')}</dt>
          <dd>
            {claim.storageClass ? <Data className="font-mono">{claim.storageClass}</Data> : '—'}{' '}
            <span className="text-slate-600">{classAllows === undefined ? t('disks.expand.classUnknown') : classAllows ? t('disks.add.classExpands') : t('disks.add.classNoExpansion')}</span>
          </dd>
        </dl>
        <div>
          <label htmlFor="expand-disk-size" className="mb-1 block text-sm font-medium">
            {t('disks.expand.size')}
          </label>
          <input
            id="expand-disk-size"
            autoFocus
            data-testid="expand-disk-size"
            className={inputClass}
            value={size}
            placeholder="2Gi"
            aria-invalid={Boolean(shown)}
            aria-describedby={`expand-disk-size-hint${shown ? ' expand-disk-size-error' : ''}`}
            onChange={(e) => setSize(e.target.value.trim())}
            autoComplete="off"
          />
          <p id="expand-disk-size-hint" className="mt-1 text-xs text-slate-600">
            {interpolate(t('disks.expand.sizeHint'), sizeExamples)}
          </p>
          {problemText ? (
            <p id="expand-disk-size-error" className="mt-1 text-sm text-red-700" data-testid="expand-disk-error">
              {problemText}
            </p>
          ) : null}
        </div>
        <p className="text-sm text-slate-700" data-testid="expand-disk-guest-note">
          {interpolate(t(running ? 'disks.expand.noteRunning' : 'disks.expand.noteStopped'), { gate: <Data>ExpandDisks</Data> })}
        </p>
        {failure ? <FailedAlert error={failure} title={interpolate(t('disks.expand.failed'), { claim: <Data>{claim.name}</Data> })} testId="expand-disk-failed" /> : null}
        <DialogButtons onCancel={onClose} submitTestId="expand-disk-submit" disabled={busy || (tried && Boolean(problem))}>
          {busy ? t('disks.expand.expanding') : t('disks.expand.submit')}
        </DialogButtons>
      </form>
    </Dialog>
  );
}
