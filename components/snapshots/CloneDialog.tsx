'use client';
import Link from 'next/link';
import { useId, useMemo, useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { StatusBadge } from '../vms/StatusBadge';
import { accessBlock, OpButton } from './access';
import { InlineError } from './InlineError';
import { ExclusionList, Steps, stepStates } from './parts';
import { cloneVm, useSnapshotAccess } from './use-snapshots';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { useLiveList } from '@/lib/live/use-live-list';
import { vmName as vmNameSchema } from '@/lib/kubevirt/create/form';
import { runStrategy } from '@/lib/kubevirt/selectors';
import { CLONE_STEPS, cloneStepKey, cloneView, cloneWarnings, defaultCloneTarget, SNAPSHOT_OPS } from '@/lib/kubevirt/snapshots';
import { vmStatus } from '@/lib/kubevirt/status';
import type { VirtualMachine, VirtualMachineClone } from '@/lib/kubevirt/types';
import type { MessageKey } from '@/lib/i18n/locales';

const vmHref = (namespace: string, name: string) => `/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

// A clone's way to its new VM, followed live: its phases, then the new VM with a link once it exists.
export function CloneProgress({ namespace, clone, target }: { namespace: string; clone: string; target: string }) {
  const t = useT();
  const scope = useMemo(() => [namespace], [namespace]);
  const clones = useLiveList<VirtualMachineClone>('virtualmachineclones', { namespaces: scope, fieldSelector: `metadata.name=${clone}` });
  const vms = useLiveList<VirtualMachine>('virtualmachines', { namespaces: scope, fieldSelector: `metadata.name=${target}` });
  const c = clones.items[0];
  const view = c ? cloneView(c) : undefined;
  const phase = view?.phase ?? 'Pending';
  const states = stepStates(CLONE_STEPS, phase === 'Pending' || phase === 'Failed' || phase === 'Unknown' ? undefined : phase, { allDone: phase === 'Succeeded' });
  const newVm = vms.items[0];
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="clone-progress" data-clone={clone} data-phase={phase}>
      <p>{interpolate(t('clone.progress.intro'), { clone: <Data className="font-mono">{clone}</Data>, target: <Data className="font-mono">{target}</Data> })}</p>
      <Steps label={t('clone.progress.steps')} testId="clone-step" steps={CLONE_STEPS.map((s) => ({ id: s, key: cloneStepKey(s), state: states[s] }))} />
      <p data-testid="clone-phase" data-phase={phase} className={view?.failed ? 'font-medium text-red-800' : ''}>
        {t(cloneStepKey(phase))}
        {view?.detail ? <> — <Data>{view.detail}</Data></> : null}
      </p>
      {view?.failed ? <p className="text-slate-600">{t('clone.progress.failedHelp')}</p> : null}
      {clones.error ? <InlineError error={clones.error} /> : null}
      {newVm ? (
        <p className="flex items-center gap-2">
          <Link href={vmHref(namespace, target)} className="font-medium text-sky-700 hover:underline" data-testid="clone-target-link">
            {interpolate(t('clone.progress.open'), { name: <Data className="font-mono">{target}</Data> })}
          </Link>
          <StatusBadge status={vmStatus(newVm)} />
        </p>
      ) : (
        <p className="text-slate-500">{t('clone.progress.noVmYet')}</p>
      )}
    </div>
  );
}

// Cloning the VM as it is, or as it was in one of its snapshots, into a new VM under a name not in use.
export function CloneDialog({ vm, snapshot, onClose }: { vm: VirtualMachine; snapshot?: string; onClose: () => void }) {
  const t = useT();
  const toast = useToast();
  const id = useId();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const [target, setTarget] = useState(() => defaultCloneTarget(name));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState<{ clone: string; target: string } | null>(null);
  const parsed = vmNameSchema.safeParse(target);
  const problem: MessageKey | undefined = parsed.success ? (target === name ? 'clone.sameName' : undefined) : (`create.error.${parsed.error.issues[0]?.message ?? 'name.dns1123'}` as MessageKey);
  const warnings = snapshot ? [] : cloneWarnings(vm);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await cloneVm(namespace, name, { target, ...(snapshot ? { snapshot } : {}) });
      setMade(r);
      toast({ tone: 'success', title: interpolate(t('clone.started'), { name: <Data>{r.target}</Data> }) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={snapshot ? t('clone.titleSnapshot', { snapshot }) : t('clone.title', { name })} testId="clone-dialog">
      {made ? (
        <>
          <CloneProgress namespace={namespace} clone={made.clone} target={made.target} />
          <div className="mt-4 flex justify-end">
            <button type="button" data-testid="clone-close" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem && !busy) void submit();
          }}
        >
          <InlineError error={error} />
          <p className="mb-3 text-sm">
            {snapshot
              ? interpolate(t('clone.fromSnapshot'), { snapshot: <Data className="font-mono">{snapshot}</Data>, name: <Data className="font-mono">{name}</Data> })
              : interpolate(t('clone.fromVm'), { name: <Data className="font-mono">{name}</Data> })}
          </p>
          <label className="mb-3 block text-sm" htmlFor={`${id}-target`}>
            <span className="mb-1 block font-medium">{t('clone.target')}</span>
            <input
              id={`${id}-target`}
              data-testid="clone-name"
              className="w-full rounded border border-slate-300 px-2 py-1 font-mono"
              value={target}
              maxLength={63}
              aria-invalid={Boolean(problem)}
              aria-describedby={`${id}-target-help`}
              onChange={(e) => setTarget(e.target.value)}
              autoFocus
            />
            <span id={`${id}-target-help`} className={`mt-1 block text-xs ${problem ? 'text-red-700' : 'text-slate-500'}`} data-testid="clone-name-help">
              {t(problem ?? 'clone.targetHelp')}
            </span>
          </label>
          <ul className="mb-3 list-disc pl-5 text-sm text-slate-700">
            <li>{t('clone.identity')}</li>
            <li>{interpolate(t('clone.runStrategy'), { strategy: <Data className="font-mono">{runStrategy(vm)}</Data> })}</li>
          </ul>
          {warnings.length ? (
            <div className="mb-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="clone-warnings">
              <p className="mb-1">{t('clone.warning')}</p>
              <ExclusionList items={warnings} />
            </div>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" data-testid="clone-submit" disabled={Boolean(problem) || busy} className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
              {t(busy ? 'clone.busy' : 'snapshot.op.clone')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

// The VM page header's Clone entry: disabled, with the reason, when the user may not create clones.
export function CloneVmButton({ vm }: { vm: VirtualMachine }) {
  const t = useT();
  const namespace = vm.metadata?.namespace ?? '';
  const allowed = useSnapshotAccess(namespace);
  const [open, setOpen] = useState(false);
  const op = SNAPSHOT_OPS.clone;
  const block = accessBlock(allowed(op.access), op.access, t);
  return (
    <>
      <OpButton id="vm-clone" testId="vm-clone" block={block} onClick={() => setOpen(true)}>
        {t('snapshot.op.clone')}
      </OpButton>
      {open ? <CloneDialog vm={vm} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
