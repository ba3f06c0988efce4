'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useT } from '../../i18n/I18nProvider';
import { useToast } from '../../ui/Toaster';
import { ErrorPanel } from '../../vms/ErrorPanel';
import { describeError } from '../../vms/describe-error';
import { problemsOf, stepProblems } from './checks';
import { ErrorSummary } from './ErrorSummary';
import { flattenErrors } from './errors';
import { buttonClass, Note, primaryButtonClass } from './fields';
import type { CreatePath } from './form-context';
import { encodeMessage, zodIssueMessage } from './problem-text';
import { ProblemList, type ShownProblem } from './ProblemList';
import { StepBasics } from './StepBasics';
import { StepCloudInit } from './StepCloudInit';
import { StepList } from './StepList';
import { StepNetworks } from './StepNetworks';
import { StepReview } from './StepReview';
import { StepRun } from './StepRun';
import { StepSize } from './StepSize';
import { StepSource } from './StepSource';
import { StepStorage } from './StepStorage';
import { fieldId, firstStepOf, isFormPath, pathSegments, STEP_FIELDS, STEP_IDS, stepIndex, stepOfField, stepsToCheck, type StepId } from './steps';
import { useCreateOptions } from './use-create-options';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { CreateVmForm, CreateVmFormInput } from '@/lib/kubevirt/create/form';
import { createVmFormChecked } from '@/lib/kubevirt/create/rules';
import type { CreateRequest } from '@/lib/kubevirt/create/request';
import type { CreateResponse } from '@/lib/shared/create-api';

type FocusTarget = { n: number; to: 'heading' | 'summary' | 'alert' | 'field'; path?: string };

/** The control of a field, or of the nearest enclosing path that has one. */
function findControl(path: string): HTMLElement | null {
  const segs = pathSegments(path);
  for (let k = segs.length; k > 0; k--) {
    const el = document.getElementById(fieldId(segs.slice(0, k).join('.')));
    if (el) return el;
  }
  return null;
}

// The create wizard: one react-hook-form over the whole form model, one step shown at a time. Next checks only the
// step's own fields (plus what needs the cluster's answers: a taken name, SSH keys, user-data); Back keeps
// everything. Focus moves to the step's heading on every change, or to the list of problems when a step fails.
export function Wizard({ initial, title }: { initial: CreateVmFormInput; title: ReactNode }) {
  const t = useT();
  const router = useRouter();
  const toast = useToast();
  const qc = useQueryClient();
  const methods = useForm<CreateVmFormInput, unknown, CreateVmForm>({
    resolver: zodResolver(createVmFormChecked, { error: zodIssueMessage }),
    defaultValues: initial,
    mode: 'onTouched',
  });
  const { control, trigger, setError, getValues, setValue, handleSubmit } = methods;

  const namespace = useWatch({ control, name: 'namespace' });
  const options = useCreateOptions(namespace || undefined);
  // No namespace asked for: take the one the server chose, and keep its answer for that namespace.
  useEffect(() => {
    const d = options.data;
    if (d && !getValues('namespace') && d.namespace) {
      qc.setQueryData(['create-options', d.namespace], d);
      setValue('namespace', d.namespace);
    }
  }, [options.data, getValues, setValue, qc]);

  const [step, setStep] = useState<StepId>('basics');
  const [reached, setReached] = useState(0);
  const [attempted, setAttempted] = useState<ReadonlySet<StepId>>(new Set());
  const [focus, setFocus] = useState<FocusTarget>({ n: 0, to: 'heading' });
  const [alert, setAlert] = useState<{ error: unknown; problems: ShownProblem[]; placed: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const navigating = useRef(false);
  const submitting = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const requestFocus = (to: FocusTarget['to'], path?: string) => setFocus((f) => ({ n: f.n + 1, to, path }));
  const markAttempted = (s: StepId) => setAttempted((a) => (a.has(s) ? a : new Set(a).add(s)));

  useEffect(() => {
    if (focus.n === 0) return;
    const el = focus.to === 'summary' ? summaryRef.current : focus.to === 'alert' ? alertRef.current : focus.to === 'field' && focus.path ? findControl(focus.path) : null;
    (el ?? headingRef.current)?.focus();
  }, [focus]);

  const validateStep = async (s: StepId): Promise<boolean> => {
    const fields = STEP_FIELDS[s] as unknown as CreatePath[];
    let ok = fields.length ? await trigger(fields) : true;
    for (const p of stepProblems(s, getValues(), options.data)) {
      setError(p.field as CreatePath, { type: 'custom', message: encodeMessage(p.message, p.line !== undefined ? { line: p.line } : undefined) });
      ok = false;
    }
    return ok;
  };

  const goTo = async (target: StepId, focusPath?: string) => {
    if (navigating.current || target === step) {
      if (target === step && focusPath) requestFocus('field', focusPath);
      return;
    }
    navigating.current = true;
    try {
      for (const s of stepsToCheck(step, target)) {
        if (!(await validateStep(s))) {
          markAttempted(s);
          setStep(s);
          requestFocus('summary');
          return;
        }
      }
      // Rules across steps (and labels, which have none) surface on the review.
      if (target === 'review') await trigger();
      setReached((r) => Math.max(r, stepIndex(target)));
      setStep(target);
      requestFocus(focusPath ? 'field' : 'heading', focusPath);
    } finally {
      navigating.current = false;
    }
  };
  const goToField = (path: string) => {
    const s = stepOfField(path);
    if (s) void goTo(s, path);
  };

  const create = useMutation({
    mutationFn: (form: CreateVmForm) => apiFetch<CreateResponse>(apiPaths.createVm, { method: 'POST', body: { source: 'form', form } satisfies CreateRequest }),
  });

  // A refusal: each problem with a field goes on it, and the wizard shows the first step holding one; the rest,
  // and the server's message, go in an alert above the step.
  const showRefusal = (err: unknown) => {
    const problems = err instanceof ApiError ? problemsOf(err.body.details) : [];
    const placed = problems.filter((p) => isFormPath(p.field));
    for (const p of placed) {
      setError(p.field as CreatePath, { type: 'server', message: encodeMessage(p.message, { ...p.params, ...(p.line !== undefined ? { line: p.line } : {}) }) });
    }
    setAlert({ error: err, problems: problems.filter((p) => !isFormPath(p.field)), placed: placed.length });
    const first = firstStepOf(placed.map((p) => p.field));
    if (first && first !== 'review') {
      markAttempted(first);
      setStep(first);
      requestFocus('summary');
    } else {
      requestFocus('alert');
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // Only the review's Create button submits, and only once at a time: a double click sends one request.
    if (step !== 'review' || submitting.current) return;
    submitting.current = true;
    setBusy(true);
    setAlert(null);
    let created = false;
    void handleSubmit(
      async (form) => {
        try {
          const res = await create.mutateAsync(form);
          created = true;
          setDone(true);
          toast({ tone: 'success', title: t('create.done', { name: res.vm.name }) });
          void qc.invalidateQueries({ queryKey: ['create-options'] });
          router.push(`/vms/${encodeURIComponent(res.vm.namespace)}/${encodeURIComponent(res.vm.name)}`);
        } catch (err) {
          showRefusal(err);
        }
      },
      (errors) => {
        const first = firstStepOf(flattenErrors(errors).map((x) => x.path)) ?? 'review';
        markAttempted(first);
        setStep(first);
        requestFocus('summary');
      },
    )(e).finally(() => {
      if (!created) {
        submitting.current = false;
        setBusy(false);
      }
    });
  };

  // Enter in a one-line field never submits the form (nor anything else): only buttons act.
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter') return;
    const el = e.target as HTMLElement;
    if (el.tagName === 'INPUT' && !['submit', 'button', 'reset'].includes((el as HTMLInputElement).type)) e.preventDefault();
  };

  const i = stepIndex(step);
  const prev = STEP_IDS[i - 1];
  const next = STEP_IDS[i + 1];
  const unavailable = options.data?.unavailable ?? [];

  return (
    <div className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href="/vms" className="text-sm text-sky-700 hover:underline">
          ← {t('common.back')}
        </Link>
        <h1 className="text-xl font-semibold">{title}</h1>
      </div>
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <aside className="md:sticky md:top-4 md:self-start">
          <StepList current={step} reached={reached} onGo={(s) => void goTo(s)} />
        </aside>
        <FormProvider {...methods}>
          <form noValidate onSubmit={onSubmit} onKeyDown={onKeyDown} aria-labelledby="create-step-heading" className="flex min-w-0 flex-col gap-4" data-testid="create-wizard">
            <div>
              <p className="text-xs uppercase tracking-wide text-slate-500">{t('create.stepOf', { n: i + 1, total: STEP_IDS.length })}</p>
              <h2 id="create-step-heading" ref={headingRef} tabIndex={-1} className="text-lg font-semibold outline-none" data-testid="create-step-heading">
                {t(`create.step.${step}`)}
              </h2>
              <p className="text-sm text-slate-600">{t(`create.step.${step}.intro`)}</p>
            </div>

            {options.error && !options.data ? <ErrorPanel error={options.error} onRetry={() => void options.refetch()} /> : null}
            {options.isPending ? (
              <p role="status" className="text-sm text-slate-600">
                {t('create.optionsLoading')}
              </p>
            ) : null}
            {unavailable.length ? (
              <Note tone="warning" testId="create-unavailable">
                {t('create.unavailable')} <Data>{unavailable.join(', ')}</Data>
              </Note>
            ) : null}

            {alert ? (
              <div ref={alertRef} tabIndex={-1} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="create-alert">
                <RefusalText error={alert.error} placed={alert.placed} />
                <ProblemList problems={alert.problems} onGoTo={goToField} />
              </div>
            ) : null}

            {attempted.has(step) || step === 'review' ? <ErrorSummary ref={summaryRef} step={step} onFocusField={goToField} /> : null}

            <section aria-labelledby="create-step-heading">
              {step === 'basics' ? <StepBasics options={options.data} current={options.current} /> : null}
              {step === 'source' ? <StepSource options={options.data} /> : null}
              {step === 'size' ? <StepSize options={options.data} /> : null}
              {step === 'storage' ? <StepStorage options={options.data} /> : null}
              {step === 'cloudInit' ? <StepCloudInit /> : null}
              {step === 'networks' ? <StepNetworks options={options.data} /> : null}
              {step === 'run' ? <StepRun /> : null}
              {step === 'review' ? <StepReview options={options.data} onEdit={(s) => void goTo(s)} onGoToField={goToField} busy={busy} done={done} /> : null}
            </section>

            <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3">
              {prev ? (
                <button type="button" className={buttonClass} onClick={() => void goTo(prev)} data-testid="create-back" disabled={busy}>
                  {t('create.back')}
                </button>
              ) : null}
              {next ? (
                <button type="button" className={primaryButtonClass} onClick={() => void goTo(next)} data-testid="create-next">
                  {t('create.next')}
                </button>
              ) : null}
              <Link href="/vms" className="ml-auto text-sm text-sky-700 hover:underline">
                {t('common.cancel')}
              </Link>
            </div>
          </form>
        </FormProvider>
      </div>
    </div>
  );
}

function RefusalText({ error, placed }: { error: unknown; placed: number }) {
  const t = useT();
  const { summary, reason } = describeError(error, t);
  return (
    <>
      <p className="font-semibold">{t('create.failed')}</p>
      <p>{summary}</p>
      {reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
      {placed ? <p className="mt-1">{t('create.failedPlaced', { n: placed })}</p> : null}
    </>
  );
}
