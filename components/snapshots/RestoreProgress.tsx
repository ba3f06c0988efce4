'use client';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { useToast } from '../ui/Toaster';
import { describeError } from '../vms/describe-error';
import { runVmAction } from '../vms/use-vm-action';
import { Steps, stepStates, type StepState } from './parts';
import { intentKey, useRestoreIntents, type RestoreIntent } from './restore-intents';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { useLiveList } from '@/lib/live/use-live-list';
import { VM_ACTIONS } from '@/lib/kubevirt/actions';
import { RESTORE_STEPS, restoreDone, restoreView, type RestoreStep, type RestoreView } from '@/lib/kubevirt/snapshots';
import { vmStatus } from '@/lib/kubevirt/status';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineRestore } from '@/lib/kubevirt/types';
import type { MessageKey } from '@/lib/i18n/locales';

const STEP_KEYS: Record<RestoreStep, MessageKey> = {
  pending: 'restore.step.pending',
  waitingForStop: 'restore.step.waitingForStop',
  creatingClaims: 'restore.step.creatingClaims',
  updatingVm: 'restore.step.updatingVm',
  complete: 'restore.step.complete',
  failed: 'restore.step.failed',
  other: 'restore.step.other',
};
export const restoreStepKey = (s: RestoreStep) => STEP_KEYS[s];

const UP = new Set(['Running', 'Starting', 'Paused', 'Migrating']);

/** Whether the restore's own steps, then the start the user asked for, are done; and the one in progress. */
function startSteps(intent: RestoreIntent | undefined, vm: VirtualMachine): { id: 'starting' | 'running'; key: MessageKey; state: StepState }[] {
  if (!intent?.startAfter) return [];
  const s = intent.start;
  const running = vmStatus(vm) === 'Running';
  return [
    { id: 'starting', key: 'restore.step.starting', state: s === 'failed' ? 'failed' : s === 'starting' ? 'current' : s === 'started' ? 'done' : 'upcoming' },
    { id: 'running', key: 'restore.step.running', state: s === 'started' ? (running ? 'done' : 'current') : 'upcoming' },
  ];
}

function RestoreCard({ view, vm, intent, onDismiss, startError }: { view: RestoreView; vm: VirtualMachine; intent?: RestoreIntent; onDismiss?: () => void; startError?: unknown }) {
  const { t, locale } = useI18n();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const order = view.stoppedByPortal ? RESTORE_STEPS : RESTORE_STEPS.filter((s) => s !== 'waitingForStop');
  const current = (order as readonly string[]).includes(view.step) ? (view.step as (typeof RESTORE_STEPS)[number]) : undefined;
  const states = stepStates(order, current, { allDone: view.complete });
  const steps = [...order.map((s) => ({ id: s, key: STEP_KEYS[s], state: states[s] })), ...startSteps(intent, vm)];
  const newVm = view.target !== name;
  const startState = intent?.startAfter ? intent.start : 'none';
  const err = startError ? describeError(startError, t) : undefined;
  return (
    <section
      className={`rounded border p-4 text-sm ${view.failed ? 'border-red-300 bg-red-50' : view.complete ? 'border-emerald-300 bg-emerald-50' : 'border-sky-300 bg-sky-50'}`}
      data-testid="restore-progress"
      data-restore={view.name}
      data-step={view.step}
      data-start={startState}
      aria-live="polite"
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 className="font-semibold">
          {interpolate(t(newVm ? 'restore.progress.titleNew' : 'restore.progress.title'), {
            name: <Data className="font-mono">{name}</Data>,
            target: <Data className="font-mono">{view.target}</Data>,
            snapshot: <Data className="font-mono">{view.snapshot}</Data>,
          })}
        </h2>
        <Data className="font-mono text-xs text-slate-500">{view.name}</Data>
        {onDismiss ? (
          <button type="button" data-testid="restore-dismiss" className="ml-auto rounded border border-slate-300 bg-white px-2 py-0.5 text-xs" onClick={onDismiss}>
            {t('common.close')}
          </button>
        ) : null}
      </div>
      <Steps label={t('restore.progress.steps')} testId="restore-step" steps={steps} />
      <p className="mt-2" data-testid="restore-result" data-complete={view.complete} data-failed={view.failed}>
        {t(STEP_KEYS[view.step])}
        {view.detail ? (
          <span className="block text-xs text-slate-600">{interpolate(t('snapshot.kubevirtSaid'), { reason: <Data>{view.detail}</Data> })}</span>
        ) : null}
        {view.complete && view.restoreTime ? <span className="block text-xs text-slate-600">{formatTimestamp(view.restoreTime, locale)}</span> : null}
      </p>
      {view.claims.length && view.complete ? (
        <ul className="mt-1 text-xs text-slate-600">
          {view.claims.map((c) => (
            <li key={c.volume}>{interpolate(t('restore.progress.claim'), { disk: <Data className="font-mono">{c.volume}</Data>, claim: <Data className="font-mono">{c.claim}</Data> })}</li>
          ))}
        </ul>
      ) : null}
      {view.failed && view.stoppedByPortal ? <p className="mt-1">{t(intent?.startAfter ? 'restore.progress.failedStarted' : 'restore.progress.failedStopped')}</p> : null}
      {view.complete && view.stoppedByPortal && !intent?.startAfter ? <p className="mt-1">{t('restore.progress.leftStopped')}</p> : null}
      {startState === 'skipped' ? <p className="mt-1">{t('restore.progress.startSkipped')}</p> : null}
      {startState === 'failed' ? (
        <p className="mt-1 text-red-800" role="alert">
          {t('restore.progress.startFailed')} {err?.summary} {err?.reason ? interpolate(t('error.apiSaid'), { reason: <Data>{err.reason}</Data> }) : null}
        </p>
      ) : null}
      {newVm && view.complete ? (
        <p className="mt-1">
          <Link href={`/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(view.target)}`} className="font-medium text-sky-700 hover:underline" data-testid="restore-target-link">
            {interpolate(t('clone.progress.open'), { name: <Data className="font-mono">{view.target}</Data> })}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

// Above the VM page's tabs: a restore of this VM in progress (whoever started it), and the restores this browser
// tab started until they are dismissed. When the user asked for it, the VM is started once its restore has ended
// and the VM is stopped (a VM someone started meanwhile is left alone).
export function RestoreProgressBanner({ vm, vmi }: { vm: VirtualMachine; vmi?: VirtualMachineInstance }) {
  const toast = useToast();
  const { t } = useI18n();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const scope = useMemo(() => [namespace], [namespace]);
  const { intents, set } = useRestoreIntents();
  // Followed only while there is something to show: a restore this tab started here, or one KubeVirt is running on
  // the VM (status.restoreInProgress); the Snapshots tab follows the same list for its history.
  const mineHere = Object.keys(intents).some((k) => k.startsWith(`${namespace}/`));
  const restores = useLiveList<VirtualMachineRestore>('virtualmachinerestores', { namespaces: scope, enabled: mineHere || Boolean(vm.status?.restoreInProgress) });
  const [startErrors, setStartErrors] = useState<Record<string, unknown>>({});
  const inFlight = useRef(new Set<string>());

  const shown = useMemo(
    () =>
      restores.items
        .map(restoreView)
        .filter((v) => intents[intentKey(namespace, v.name)] || (v.target === name && !restoreDone(v)))
        .sort((a, b) => (Date.parse(b.created ?? '') || 0) - (Date.parse(a.created ?? '') || 0)),
    [restores.items, intents, namespace, name],
  );

  const status = vmStatus(vm);
  useEffect(() => {
    for (const v of shown) {
      const key = intentKey(namespace, v.name);
      const intent = intents[key];
      if (!intent || intent.start !== 'waiting' || !restoreDone(v) || inFlight.current.has(key)) continue;
      if (!intent.startAfter || v.target !== name) {
        set(key, { ...intent, start: 'none' });
        continue;
      }
      if (UP.has(status)) {
        set(key, { ...intent, start: 'skipped' });
        continue;
      }
      // Wait until the VM is fully stopped (its instance gone) before starting it again.
      if (status !== 'Stopped' || vmi) continue;
      inFlight.current.add(key);
      set(key, { ...intent, start: 'starting' });
      runVmAction(VM_ACTIONS.start, vm)
        .then(() => set(key, { ...intent, start: 'started' }))
        .catch((err: unknown) => {
          setStartErrors((e) => ({ ...e, [key]: err }));
          set(key, { ...intent, start: 'failed' });
          toast({ tone: 'error', title: interpolate(t('action.failed'), { action: t(VM_ACTIONS.start.labelKey), name: <Data>{name}</Data> }) });
        })
        .finally(() => inFlight.current.delete(key));
    }
  }, [shown, intents, status, vmi, vm, namespace, name, set, toast, t]);

  if (!shown.length) return null;
  return (
    <div className="flex flex-col gap-2">
      {shown.slice(0, 3).map((v) => {
        const key = intentKey(namespace, v.name);
        const intent = intents[key];
        const dismissable = intent && restoreDone(v) && intent.start !== 'starting' && intent.start !== 'waiting';
        return <RestoreCard key={v.name} view={v} vm={vm} intent={intent} startError={startErrors[key]} onDismiss={dismissable ? () => set(key, undefined) : undefined} />;
      })}
    </div>
  );
}
