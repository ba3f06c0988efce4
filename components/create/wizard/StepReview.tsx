'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { describeError } from '../../vms/describe-error';
import { problemsOf } from './checks';
import { primaryButtonClass, buttonClass } from './fields';
import { useCreateForm } from './form-context';
import { ManifestsPanel } from './ManifestsPanel';
import { OverheadNote } from '../../quota/OverheadNote';
import { namespaceHref } from '../../quota/QuotaPanel';
import { ProblemList } from './ProblemList';
import { QuotaTable } from './QuotaTable';
import { ReviewSummary } from './ReviewSummary';
import type { StepId } from './steps';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { buildManifests, manifestsList, toYaml } from '@/lib/kubevirt/create/builders';
import { createVmForm, type CreateVmForm, type CreateVmFormInput } from '@/lib/kubevirt/create/form';
import { quotaImpact } from '@/lib/kubevirt/create/quota-impact';
import { clusterProblems, createVmFormChecked } from '@/lib/kubevirt/create/rules';
import type { CreateRequest } from '@/lib/kubevirt/create/request';
import type { CreateOptions, CreateResponse } from '@/lib/shared/create-api';

const QUOTA_WARNING_ID = 'create-quota-warning';

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

// Step 8: what will be created, checked every way before the click: the summary, the exact manifests, the quota it
// takes, the cluster rules, and a dry run by the API server itself. Create stays off while the quota cannot hold it.
export function StepReview({
  options,
  onEdit,
  onGoToField,
  busy,
  done,
}: {
  options: CreateOptions | undefined;
  onEdit: (s: StepId) => void;
  onGoToField: (path: string) => void;
  busy: boolean;
  done: boolean;
}) {
  const t = useT();
  const { control } = useCreateForm();
  const values = useWatch({ control }) as Partial<CreateVmFormInput>;
  const parsed = useMemo(() => createVmForm.safeParse(values), [values]);
  const form: CreateVmForm | undefined = parsed.success ? parsed.data : undefined;
  const checked = useMemo(() => createVmFormChecked.safeParse(values), [values]);

  const yaml = useMemo(() => (form ? attempt(() => toYaml(manifestsList(buildManifests(form)))) : undefined), [form]);
  const cluster = useMemo(() => (form && options ? (attempt(() => clusterProblems(form, options)) ?? []) : []), [form, options]);
  const impact = useMemo(() => (form && options ? attempt(() => quotaImpact(form, options)) : undefined), [form, options]);

  // The API server's own verdict, asked once per distinct form (the review has no inputs, so: once on entering).
  const body = checked.success ? JSON.stringify(checked.data) : undefined;
  const dry = useQuery({
    queryKey: ['create-dry-run', body],
    enabled: body !== undefined,
    retry: false,
    staleTime: 60_000,
    gcTime: 60_000,
    queryFn: () =>
      apiFetch<CreateResponse>(apiPaths.createVm, { method: 'POST', body: { source: 'form', form: JSON.parse(body!) as CreateVmFormInput, dryRun: true } satisfies CreateRequest }),
  });

  const quotaBlocks = impact !== undefined && !impact.fits;
  return (
    <div className="flex flex-col gap-6">
      <ReviewSummary values={values} options={options} onEdit={onEdit} />

      {cluster.length ? (
        <section aria-labelledby="create-cluster-problems" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="cluster-problems">
          <h3 id="create-cluster-problems" className="mb-1 font-semibold">
            {t('create.review.clusterProblems')}
          </h3>
          <ProblemList problems={cluster} onGoTo={onGoToField} />
        </section>
      ) : null}

      <section aria-labelledby="create-quota-title" className="flex flex-col gap-2">
        <h3 id="create-quota-title" className="font-semibold">
          {t('create.review.quota')}
        </h3>
        <QuotaTable impact={impact} quotaCount={options?.quotas.length ?? 0} warningId={QUOTA_WARNING_ID} />
        <OverheadNote />
        {values.namespace ? (
          <Link href={namespaceHref(values.namespace)} target="_blank" className="self-start text-sm text-sky-700 hover:underline" data-testid="quota-page-link">
            {interpolate(t('quota.wizardLink'), { namespace: <Data>{values.namespace}</Data> })}
          </Link>
        ) : null}
      </section>

      <section aria-labelledby="create-dry-run-title" className="flex flex-col gap-2">
        <h3 id="create-dry-run-title" className="font-semibold">
          {t('create.review.dryRun')}
        </h3>
        <div aria-live="polite" data-testid="dry-run">
          {body === undefined ? (
            <p className="text-sm text-slate-600">{t('create.review.dryRunWaits')}</p>
          ) : dry.isPending ? (
            <p className="text-sm text-slate-600" data-testid="dry-run-pending">
              {t('create.review.dryRunPending')}
            </p>
          ) : dry.isSuccess ? (
            <div className="text-sm text-emerald-900" data-testid="dry-run-ok">
              <p>{t('create.review.dryRunOk')}</p>
              <ul className="list-disc pl-5">
                {dry.data.objects.map((o) => (
                  <li key={`${o.kind}/${o.namespace}/${o.name}`}>
                    <Data>{`${o.kind} ${o.namespace}/${o.name}`}</Data>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <DryRunRefusal error={dry.error} onGoTo={onGoToField} onRetry={() => void dry.refetch()} />
          )}
        </div>
      </section>

      <section aria-labelledby="create-manifests-title" className="flex flex-col gap-2">
        <h3 id="create-manifests-title" className="font-semibold">
          {t('create.review.manifests')}
        </h3>
        <ManifestsPanel yaml={yaml} name={values.name ?? ''} namespace={values.namespace ?? ''} />
      </section>

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        <button
          type="submit"
          className={primaryButtonClass}
          disabled={busy || done || quotaBlocks}
          aria-describedby={quotaBlocks ? QUOTA_WARNING_ID : undefined}
          data-testid="create-submit"
        >
          {busy || done ? t('create.creating') : t('create.submit')}
        </button>
        {quotaBlocks ? <span className="text-sm text-red-800">{t('create.review.blockedByQuota')}</span> : null}
      </div>
    </div>
  );
}

function DryRunRefusal({ error, onGoTo, onRetry }: { error: unknown; onGoTo: (path: string) => void; onRetry: () => void }) {
  const t = useT();
  const { summary, reason } = describeError(error, t);
  const problems = error instanceof ApiError ? problemsOf(error.body.details) : [];
  return (
    <div className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="dry-run-refused">
      <p className="font-semibold">{t('create.review.dryRunRefused')}</p>
      <p>{summary}</p>
      {reason && !problems.length ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
      <ProblemList problems={problems} onGoTo={onGoTo} />
      <button type="button" className={`${buttonClass} mt-2`} onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
