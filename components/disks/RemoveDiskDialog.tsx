'use client';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { DialogButtons, FailedAlert } from './dialog-end';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch } from '@/lib/live/api-client';
import type { DiskRow } from '@/lib/kubevirt/disks';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

// Unplugs a hot-plugged disk after a confirmation that says what stays: the claim and its data.
export function RemoveDiskDialog({ vm, row, onClose }: { vm: VirtualMachine; row: DiskRow; onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await apiFetch(apiPaths.vmDisk(namespace, vmName, row.name), { method: 'DELETE' });
      toast({ tone: 'success', title: interpolate(t('disks.remove.done'), { disk: <Data>{row.name}</Data>, name: <Data>{vmName}</Data> }) });
      onClose();
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={t('disks.remove.title', { disk: row.name, name: vmName })} testId="remove-disk-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="mb-4 text-slate-700">
          {row.claim
            ? interpolate(t('disks.remove.body'), { disk: <Data className="font-mono">{row.name}</Data>, claim: <Data className="font-mono">{row.claim.name}</Data> })
            : interpolate(t('disks.remove.bodyNoClaim'), { disk: <Data className="font-mono">{row.name}</Data> })}
        </p>
        {failure ? <FailedAlert className="mb-4" error={failure} title={interpolate(t('disks.remove.failed'), { disk: <Data>{row.name}</Data> })} testId="remove-disk-failed" /> : null}
        <DialogButtons onCancel={onClose} submitTestId="remove-disk-submit" disabled={busy} danger>
          {t('disks.remove.submit')}
        </DialogButtons>
      </form>
    </Dialog>
  );
}
