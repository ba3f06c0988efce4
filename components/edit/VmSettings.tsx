'use client';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { FormProvider, useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/I18nProvider';
import { useToast } from '../ui/Toaster';
import { describeError } from '../vms/describe-error';
import { useAccessChecks } from '../vms/use-access';
import { encodeMessage } from '../create/wizard/problem-text';
import { buttonClass, Message, Note, primaryButtonClass, Section } from './fields';
import { editFormSchema, formOf, valuesOf, type EditForm } from './form';
import { MetadataRows } from './MetadataRows';
import { RunStrategyField } from './RunStrategyField';
import { SizeFields } from './SizeFields';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { Translate } from '@/lib/i18n/locales';
import type { AccessAnswer } from '@/lib/kubevirt/actions';
import {
  EDIT_ACCESS,
  editBody,
  EditRefusal,
  editValues,
  managedEntries,
  planEdit,
  rebaseEdit,
  sameMap,
  sameSize,
  VM_EDITS,
  VM_PATCH_ACCESS,
  type EditApplicability,
  type EditOptions,
  type EditRequest,
  type EditResponse,
  type EditValues,
} from '@/lib/kubevirt/edits';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

// The VM's Settings tab: one form, saved as one patch. While the user has changed nothing it follows the live VM;
// once they type, it keeps what they typed and the version it was based on, so a change made meanwhile is refused
// by the API server (409) instead of overwritten, and can then be carried onto the latest version.

interface Base {
  vm: VirtualMachine;
  rv: string;
  values: EditValues;
}

const baseOf = (vm: VirtualMachine): Base => ({ vm, rv: vm.metadata?.resourceVersion ?? '', values: editValues(vm) });

const sameValues = (a: EditValues, b: EditValues) => sameMap(a.labels, b.labels) && sameMap(a.annotations, b.annotations) && sameSize(a.size, b.size) && a.runStrategy === b.runStrategy;

type Outcome = { kind: 'invalid' } | { kind: 'conflict' } | { kind: 'rebased' } | { kind: 'refused'; message: string } | { kind: 'error'; error: unknown } | null;

function accessReason(t: Translate, answer: Exclude<AccessAnswer, undefined>): ReactNode {
  if (typeof answer === 'object') {
    const { summary, reason } = describeError(answer.failed, t);
    return reason ? interpolate(t('reason.accessFailed'), { reason: <Data>{reason}</Data> }) : t('reason.accessFailed', { reason: summary });
  }
  // Kubernetes' own names for the verb and the resource: data in any language.
  return interpolate(t('reason.forbidden'), { verb: <Data>{VM_PATCH_ACCESS.verb}</Data>, resource: <Data>{VM_PATCH_ACCESS.resource}</Data> });
}

function NotApplicable({ a }: { a: EditApplicability }) {
  const t = useT();
  if (a.ok) return null;
  const vars = Object.fromEntries(Object.entries(a.vars ?? {}).map(([k, v]) => [k, <Data key={k}>{v}</Data>]));
  return (
    <div className="mb-3">
      <Note tone="warning" testId="edit-section-locked">
        {interpolate(t(a.reasonKey), vars)}
      </Note>
    </div>
  );
}

/**
 * The tab's content, mounted the first time the tab is opened and then kept (hidden) while another tab is shown,
 * so switching tabs loses nothing typed; a VM of the same name made anew (another uid) starts a fresh form.
 */
export function SettingsTab({ vm, active }: { vm: VirtualMachine; active: boolean }) {
  const [opened, setOpened] = useState(active);
  useEffect(() => {
    if (active) setOpened(true);
  }, [active]);
  if (!opened && !active) return null;
  return (
    <div hidden={!active}>
      <VmSettings key={vm.metadata?.uid ?? vm.metadata?.name} vm={vm} />
    </div>
  );
}

export function VmSettings({ vm }: { vm: VirtualMachine }) {
  const t = useT();
  const toast = useToast();
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const allowed = useAccessChecks(namespace, EDIT_ACCESS);
  const access = allowed(VM_PATCH_ACCESS);
  const readOnly = access !== true;

  const [base, setBase] = useState<Base>(() => baseOf(vm));
  const [outcome, setOutcome] = useState<Outcome>(null);
  // After a save: the version it made and what it saved, until the live VM shows them (or a later version).
  const awaiting = useRef<{ rv: string; values: EditValues } | null>(null);

  const schema = useMemo(() => editFormSchema(base.values, managedEntries(base.vm.metadata?.annotations)), [base]);
  const form = useForm<EditForm>({ resolver: zodResolver(schema) as unknown as Resolver<EditForm>, defaultValues: formOf(base.values), mode: 'onChange' });
  const { formState, reset, handleSubmit, setError, getValues } = form;
  const dirty = formState.isDirty;

  const hasInstancetype = Boolean(vm.spec?.instancetype);
  const options = useQuery({
    queryKey: ['edit-options', namespace, name],
    enabled: hasInstancetype && !readOnly,
    staleTime: 60_000,
    queryFn: () => apiFetch<EditOptions>(apiPaths.vmEdit(namespace, name)),
  });
  const save = useMutation({ mutationFn: (body: EditRequest) => apiFetch<EditResponse>(apiPaths.vmEdit(namespace, name), { method: 'POST', body }) });

  // Following the live VM while nothing is typed. Keyed on the version, not on the object's identity.
  const rv = vm.metadata?.resourceVersion ?? '';
  const latest = useRef(vm);
  latest.current = vm;
  useEffect(() => {
    if (dirty || save.isPending) return;
    const now = latest.current;
    const wait = awaiting.current;
    if (wait && now.metadata?.resourceVersion !== wait.rv && !sameValues(editValues(now), wait.values)) return;
    awaiting.current = null;
    const next = baseOf(now);
    setBase(next);
    reset(formOf(next.values));
  }, [rv, dirty, save.isPending, reset]);

  const sizeApplies = VM_EDITS.editSize.applies(vm);
  const runApplies = VM_EDITS.editRunStrategy.applies(vm);
  const metadataApplies = VM_EDITS.editMetadata.applies(vm);

  const onSubmit = handleSubmit(
    async (f) => {
      setOutcome(null);
      const values = valuesOf(f);
      const body = editBody(base.rv, base.values, values);
      if (!body) {
        // Only empty rows were added: nothing to send, and nothing left unsaved.
        reset(formOf(base.values));
        return;
      }
      try {
        planEdit(base.vm, body);
      } catch (err) {
        if (!(err instanceof EditRefusal)) throw err;
        const message = encodeMessage(err.key, err.vars);
        if (err.field === 'size.cpu' || err.field === 'size.memory') {
          setError(err.field, { type: 'refused', message }, { shouldFocus: true });
          setOutcome({ kind: 'invalid' });
        } else setOutcome({ kind: 'refused', message });
        return;
      }
      try {
        const res = await save.mutateAsync(body);
        awaiting.current = { rv: res.resourceVersion, values };
        setBase((b) => ({ ...b, rv: res.resourceVersion, values }));
        reset(f);
        toast({ tone: 'success', title: res.changes.length ? interpolate(t('edit.saved'), { name: <Data>{name}</Data> }) : t('edit.nothingChanged') });
      } catch (err) {
        if (err instanceof ApiError && err.body.code === 'conflict' && err.body.details?.stale === true) setOutcome({ kind: 'conflict' });
        else setOutcome({ kind: 'error', error: err });
      }
    },
    () => setOutcome({ kind: 'invalid' }),
  );

  // The user's edits onto the VM as the page has it now; enabled once the page has a newer version than the form's.
  const rebase = () => {
    const next = baseOf(vm);
    const merged = rebaseEdit(base.values, valuesOf(getValues()), next.values);
    setBase(next);
    reset(formOf(next.values));
    reset(formOf(merged), { keepDefaultValues: true });
    setOutcome({ kind: 'rebased' });
  };
  const discard = () => {
    const next = baseOf(vm);
    setBase(next);
    reset(formOf(next.values));
    setOutcome(null);
  };

  const busy = save.isPending || formState.isSubmitting;
  return (
    <FormProvider {...form}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="flex flex-col gap-4" data-testid="edit-settings" aria-busy={busy}>
        <p className="text-sm text-slate-600">{t('edit.intro')}</p>
        {access === undefined ? (
          <Note testId="edit-checking">{t('reason.checking')}</Note>
        ) : readOnly ? (
          <Note tone="warning" testId="edit-readonly">
            {interpolate(t('edit.readonly'), { reason: accessReason(t, access) })}
          </Note>
        ) : null}
        <fieldset disabled={readOnly || busy} className="flex min-w-0 flex-col gap-4">
          <Section title={t('edit.section.metadata')} testId="edit-section-metadata">
            <NotApplicable a={metadataApplies} />
            <fieldset disabled={!metadataApplies.ok} className="grid min-w-0 gap-6 lg:grid-cols-2">
              <MetadataRows which="labels" managed={managedEntries(vm.metadata?.labels)} />
              <MetadataRows which="annotations" managed={managedEntries(vm.metadata?.annotations)} />
            </fieldset>
          </Section>
          <Section title={t('edit.section.size')} testId="edit-section-size">
            <NotApplicable a={sizeApplies} />
            <fieldset disabled={!sizeApplies.ok} className="min-w-0">
              <SizeFields options={hasInstancetype ? options : undefined} disabled={readOnly || !sizeApplies.ok} />
            </fieldset>
          </Section>
          <Section title={t('edit.section.runStrategy')} testId="edit-section-run">
            <NotApplicable a={runApplies} />
            <fieldset disabled={!runApplies.ok} className="min-w-0">
              <RunStrategyField vm={vm} />
            </fieldset>
          </Section>
        </fieldset>

        <OutcomePanel outcome={outcome} canRebase={rv !== base.rv} onRebase={rebase} />

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButtonClass} disabled={readOnly || busy || !dirty} data-testid="edit-save">
            {busy ? t('edit.saving') : t('edit.save')}
          </button>
          <button type="button" className={buttonClass} disabled={readOnly || busy || (!dirty && outcome === null)} onClick={discard} data-testid="edit-discard">
            {t('edit.discard')}
          </button>
          {dirty ? (
            <span className="text-sm text-amber-800" data-testid="edit-unsaved">
              {t('edit.unsaved')}
            </span>
          ) : null}
        </div>
      </form>
    </FormProvider>
  );
}

function OutcomePanel({ outcome, canRebase, onRebase }: { outcome: Outcome; canRebase: boolean; onRebase: () => void }) {
  const t = useT();
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'invalid':
      return (
        <p role="alert" className="text-sm text-red-700" data-testid="edit-invalid">
          {t('edit.problems')}
        </p>
      );
    case 'refused':
      return (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="edit-refused">
          <p className="font-semibold">{t('edit.failed')}</p>
          <p>
            <Message raw={outcome.message} />
          </p>
        </div>
      );
    case 'conflict':
      return (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="edit-conflict">
          <p className="font-semibold">{t('edit.conflict.title')}</p>
          <p className="mb-2">{t('edit.conflict.body')}</p>
          <button type="button" className={buttonClass} disabled={!canRebase} onClick={onRebase} data-testid="edit-rebase">
            {t('edit.conflict.rebase')}
          </button>
        </div>
      );
    case 'rebased':
      return (
        <p role="status" className="text-sm text-sky-900" data-testid="edit-rebased">
          {t('edit.conflict.rebased')}
        </p>
      );
    case 'error': {
      const { summary, reason } = describeError(outcome.error, t);
      return (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="edit-error">
          <p className="font-semibold">{t('edit.failed')}</p>
          <p>{summary}</p>
          {reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
        </div>
      );
    }
  }
}
