'use client';
import { useMutation } from '@tanstack/react-query';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { buttonClass } from '../create/wizard/fields';
import { ChangeError } from './text';
import { apiFetch } from '@/lib/live/api-client';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { detachOutcome, type InterfaceChangeResponse } from '@/lib/kubevirt/interfaces';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

// Confirms a detach, saying what it does to this VM: an unplug from the running guest, or a removal from the spec of
// a stopped one. A refusal stays in the dialog, with the reason.
export function DetachInterfaceDialog({ vm, vmi, name, onClose }: { vm: VirtualMachine; vmi?: VirtualMachineInstance; name: string; onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';
  const vars = { name: <Data className="font-mono">{name}</Data>, vm: <Data className="font-mono">{vmName}</Data> };
  const detach = useMutation({
    mutationFn: () => apiFetch<InterfaceChangeResponse>(apiPaths.vmInterface(namespace, vmName, name), { method: 'DELETE' }),
    onSuccess: () => {
      toast({ tone: 'success', title: interpolate(t('nic.detach.done'), vars) });
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} title={t('nic.detach.title', { name })} testId="nic-detach-dialog">
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!detach.isPending) detach.mutate();
        }}
      >
        <p className="text-slate-700">{interpolate(t(detachOutcome(vmi) === 'unplug' ? 'nic.detach.confirmUnplug' : 'nic.detach.confirmRemove'), vars)}</p>
        {detach.error ? <ChangeError error={detach.error} title={t('nic.detach.failed')} t={t} testId="nic-detach-error" /> : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass} onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="nic-detach-submit" autoFocus disabled={detach.isPending} className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40">
            {t('nic.detach.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
