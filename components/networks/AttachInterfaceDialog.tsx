'use client';
import { useId, useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { buttonClass, inputClass, primaryButtonClass, ProblemMessage } from '../create/wizard/fields';
import { isNad, nadRef, nextFreeName } from '../create/wizard/form-values';
import { describeError } from '../vms/describe-error';
import { ChangeError, ProblemList } from './text';
import { apiFetch } from '@/lib/live/api-client';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { interfaceBindings, type VmNetwork } from '@/lib/kubevirt/create/form';
import { attachOutcome, attachProblems, attachRequest, declaredNetworks, type AttachOutcome, type AttachProblem, type InterfaceChangeResponse } from '@/lib/kubevirt/interfaces';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';
import type { NetworkOption } from '@/lib/shared/create-api';

/** The NADs the namespace offers, as the tab follows them live. */
export interface NadChoices {
  items: NetworkOption[];
  status: 'loading' | 'ready' | 'failed';
  error?: unknown;
}

type Choice = 'pod' | `nad:${string}`;

const bindingFor = (nad: NetworkOption | undefined): VmNetwork['binding'] => (nad?.type === 'sriov' ? 'sriov' : 'bridge');
// A NAD's name is a DNS subdomain; an interface's name in the form is a DNS label.
const asLabel = (s: string) => s.replace(/\./g, '-').slice(0, 63).replace(/-+$/, '') || 'net';

// Attaching a network to the VM: a NAD of the namespace (or the pod network), the interface's name and binding.
// KubeVirt's refusals are shown, and the submit held back, while the choice breaks one of its rules; what the
// change then waits for (nothing, a live migration, a restart) is said before it is sent.
export function AttachInterfaceDialog({ vm, vmi, nads, onClose }: { vm: VirtualMachine; vmi?: VirtualMachineInstance; nads: NadChoices; onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const ids = useId();
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';
  const declared = useMemo(() => declaredNetworks(vm, vmi), [vm, vmi]);
  const taken = declared.map((n) => n.name);

  // The user's own choices; until they make one, the defaults follow the network (the NADs may still be loading).
  const [chosen, setChosen] = useState<Choice | undefined>(undefined);
  const [typedName, setTypedName] = useState<string | undefined>(undefined);
  const [chosenBinding, setChosenBinding] = useState<VmNetwork['binding'] | undefined>(undefined);

  const unused = nads.items.find((n) => !declared.some((d) => d.source.kind === 'multus' && isNad(namespace, d.source.networkName, n)));
  const fallback = unused ?? nads.items[0];
  const choice: Choice = chosen ?? (fallback ? `nad:${nadRef(namespace, fallback)}` : 'pod');
  const networkName = choice === 'pod' ? undefined : choice.slice('nad:'.length);
  const nad = networkName ? nads.items.find((n) => isNad(namespace, networkName, n)) : undefined;
  const base = nad ? asLabel(nad.name) : networkName ? asLabel(networkName.split('/').pop() ?? '') : 'default';
  const name = typedName ?? (taken.includes(base) ? nextFreeName(choice === 'pod' ? 'net' : base, taken) : base);
  const binding = chosenBinding ?? (choice === 'pod' ? 'masquerade' : bindingFor(nad));
  const req: VmNetwork = { name, source: networkName ? { kind: 'multus', networkName } : { kind: 'pod' }, binding };

  const parsed = attachRequest.safeParse(req);
  const formatProblems: AttachProblem[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const problems = attachProblems(vm, vmi, req, nads.status === 'ready' ? nads.items : undefined);
  const outcome = attachOutcome(vm, vmi, req);
  const on = (field: string) => problems.some((p) => p.field === field || p.field?.startsWith(`${field}.`));
  const nameFormat = formatProblems.filter((p) => p.field === 'name');

  const attach = useMutation({
    mutationFn: (body: VmNetwork) => apiFetch<InterfaceChangeResponse>(apiPaths.vmInterfaces(namespace, vmName), { method: 'POST', body }),
    onSuccess: (res) => {
      toast({
        tone: 'success',
        title: interpolate(t('nic.attach.done'), { name: <Data>{res.interface}</Data>, vm: <Data>{vmName}</Data> }),
        body: t(`nic.outcome.${res.outcome as AttachOutcome}`),
      });
      onClose();
    },
  });
  const blocked = problems.length > 0 || formatProblems.length > 0 || attach.isPending;

  return (
    <Dialog open onClose={onClose} title={t('nic.attach.title', { name: vmName })} testId="nic-attach-dialog">
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) attach.mutate(req);
        }}
      >
        <div>
          <label htmlFor={`${ids}-network`} className="mb-1 block text-sm font-medium">
            {t('nic.attach.network')}
          </label>
          <select
            id={`${ids}-network`}
            data-testid="nic-attach-network"
            className={inputClass}
            aria-invalid={on('source')}
            aria-describedby={`${ids}-network-hint`}
            value={choice}
            onChange={(e) => {
              setChosen(e.target.value as Choice);
              setChosenBinding(undefined);
            }}
          >
            {nads.items.map((n) => (
              <option key={`${n.namespace}/${n.name}`} value={`nad:${nadRef(namespace, n)}`} translate="no">
                {`${n.namespace}/${n.name}`}
              </option>
            ))}
            <option value="pod">{t('net.pod')}</option>
          </select>
          <p id={`${ids}-network-hint`} className="mt-1 text-xs text-slate-600" data-testid="nic-attach-network-hint">
            {nads.status === 'loading' ? t('nic.attach.nadsLoading') : null}
            {nads.status === 'failed' ? <NadsFailed error={nads.error} /> : null}
            {nads.status === 'ready' && nads.items.length === 0 ? t('create.networks.noNads') : null}
            {nad ? (
              <>
                {interpolate(t('nic.attach.nadType'), { type: <Data>{nad.type}</Data> })}
                {nad.vlan !== undefined ? ` · ${t('create.networks.vlan', { vlan: nad.vlan })}` : null}
              </>
            ) : null}
          </p>
        </div>
        <div>
          <label htmlFor={`${ids}-name`} className="mb-1 block text-sm font-medium">
            {t('nic.attach.name')}
          </label>
          <input
            id={`${ids}-name`}
            data-testid="nic-attach-name"
            className={`${inputClass} font-mono`}
            autoComplete="off"
            spellCheck={false}
            translate="no"
            aria-invalid={on('name') || nameFormat.length > 0}
            aria-describedby={`${ids}-name-hint${nameFormat.length ? ` ${ids}-name-error` : ''}`}
            value={name}
            onChange={(e) => setTypedName(e.target.value)}
          />
          <p id={`${ids}-name-hint`} className="mt-1 text-xs text-slate-600">
            {t('nic.attach.nameHint')}
          </p>
          {nameFormat.length ? (
            <p id={`${ids}-name-error`} className="mt-1 text-xs text-red-700" data-testid="nic-attach-name-error">
              <ProblemMessage message={nameFormat[0]!.message} />
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={`${ids}-binding`} className="mb-1 block text-sm font-medium">
            {t('nic.attach.binding')}
          </label>
          <select
            id={`${ids}-binding`}
            data-testid="nic-attach-binding"
            className={inputClass}
            aria-invalid={on('binding')}
            value={binding}
            onChange={(e) => setChosenBinding(e.target.value as VmNetwork['binding'])}
          >
            {interfaceBindings.map((b) => (
              <option key={b} value={b}>
                {t(`create.networks.binding.${b}`)}
              </option>
            ))}
          </select>
        </div>
        <p className="rounded border border-slate-200 bg-slate-50 p-2 text-sm" data-testid="nic-attach-outcome" data-outcome={outcome}>
          {t(`nic.outcome.${outcome}`)}
        </p>
        {problems.length ? (
          <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="nic-attach-problems">
            <p className="font-medium">{t('nic.attach.refused')}</p>
            <ProblemList problems={problems} />
          </div>
        ) : null}
        {attach.error ? <ChangeError error={attach.error} title={t('nic.attach.failed')} t={t} testId="nic-attach-error" /> : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass} onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="nic-attach-submit" className={primaryButtonClass} disabled={blocked}>
            {t('nic.attach.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function NadsFailed({ error }: { error: unknown }) {
  const t = useT();
  const { summary, reason } = describeError(error, t);
  return <>{reason ? interpolate(t('nic.attach.nadsFailed'), { reason: <Data>{reason}</Data> }) : t('nic.attach.nadsFailed', { reason: summary })}</>;
}
