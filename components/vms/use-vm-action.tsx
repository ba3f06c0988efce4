'use client';
import { useCallback } from 'react';
import { apiFetch } from '@/lib/live/api-client';
import type { VmActionDef } from '@/lib/kubevirt/actions';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';
import { useT } from '../i18n/I18nProvider';
import { useToast } from '../ui/Toaster';
import { describeError } from './describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// What an action is sent besides the VM: a migration's target node, the migration a cancel is about.
export interface VmActionParams {
  node?: string;
  migration?: string;
}

export function runVmAction(def: VmActionDef, vm: VirtualMachine, params: VmActionParams = {}): Promise<unknown> {
  return apiFetch(apiPaths.vmAction(vm.metadata?.namespace ?? '', vm.metadata?.name ?? '', def.id), { method: 'POST', body: def.id === 'delete' ? { uid: vm.metadata?.uid } : params });
}

// Runs one action and reports the outcome as a notification. The status itself then changes through the watch.
export function useVmAction() {
  const t = useT();
  const toast = useToast();
  return useCallback(
    async (def: VmActionDef, vm: VirtualMachine, params?: VmActionParams) => {
      const name = vm.metadata?.name ?? '';
      try {
        await runVmAction(def, vm, params);
        toast({ tone: 'success', title: interpolate(t(def.doneKey), { name: <Data>{name}</Data> }) });
        return true;
      } catch (err) {
        const { summary, reason } = describeError(err, t);
        toast({
          tone: 'error',
          title: interpolate(t('action.failed'), { action: t(def.labelKey), name: <Data>{name}</Data> }),
          body: (
            <>
              {summary} {reason ? interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> }) : null}
            </>
          ),
        });
        return false;
      }
    },
    [t, toast],
  );
}
