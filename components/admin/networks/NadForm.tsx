'use client';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { get, useForm, useWatch, type FieldErrors, type Path, type Resolver } from 'react-hook-form';
import { useMutation } from '@tanstack/react-query';
import { useT } from '../../i18n/I18nProvider';
import { useToast } from '../../ui/Toaster';
import { describeError } from '../../vms/describe-error';
import { buttonClass, inputClass, primaryButtonClass } from '../../create/wizard/fields';
import { encodeProblem, problemsOfDetails, problemText } from './problems';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { rangeText } from '@/lib/admin/ipv4';
import {
  checkNad,
  cniConfigText,
  NAD_RESOURCE_NAME_ANNOTATION,
  segmentOf,
  VLAN_MAX,
  VLAN_MIN,
  type CreateNadRequest,
  type IpamKind,
  type NadCreated,
  type NadInput,
  type NadKind,
  type NadProblem,
  type NadSummary,
} from '@/lib/admin/nad';

// The form of a new shared network. It checks what it holds with the route's own function (checkNad) against the
// NADs the page follows live, so what it refuses the route refuses too; the route checks again against what the API
// server holds at that moment, and its refusals land on the same fields.

export interface NadFormValues {
  namespace: string;
  name: string;
  kind: NadKind;
  bridge: string;
  resourceName: string;
  vlan: string;
  ipam: { kind: IpamKind; subnet: string; rangeStart: string; rangeEnd: string; gateway: string };
}

const empty = (namespace: string, kind: NadKind = 'bridge'): NadFormValues => ({
  namespace,
  name: '',
  kind,
  bridge: '',
  resourceName: '',
  vlan: '',
  ipam: { kind: 'whereabouts', subnet: '', rangeStart: '', rangeEnd: '', gateway: '' },
});

/** What is sent: only the fields the chosen type and address management use. */
export function inputOf(v: NadFormValues): NadInput {
  return {
    namespace: v.namespace,
    name: v.name,
    kind: v.kind,
    ...(v.kind === 'bridge' ? { bridge: v.bridge } : { resourceName: v.resourceName }),
    vlan: v.vlan,
    ipam: v.ipam.kind === 'none' ? { kind: 'none' } : { kind: v.ipam.kind, subnet: v.ipam.subnet, rangeStart: v.ipam.rangeStart, rangeEnd: v.ipam.rangeEnd, gateway: v.ipam.gateway },
  };
}

const fieldId = (field: string) => `nad-${field.replace('.', '-')}`;

function errorsOf(problems: NadProblem[]): FieldErrors<NadFormValues> {
  const errors: Record<string, unknown> = {};
  for (const p of problems) {
    const [head, tail] = p.field.split('.') as [string, string | undefined];
    const entry = { type: p.key, message: encodeProblem(p) };
    if (tail) {
      const group = (errors[head] ??= {}) as Record<string, unknown>;
      group[tail] ??= entry;
    } else errors[head] ??= entry;
  }
  return errors as FieldErrors<NadFormValues>;
}

function Field({ field, label, hint, error, children }: { field: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={fieldId(field)} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${fieldId(field)}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error !== undefined ? (
        <p id={`${fieldId(field)}-error`} className="mt-1 text-sm text-red-700" data-testid={`error-${fieldId(field)}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function NadForm({ namespaces, existing }: { namespaces: string[]; existing: NadSummary[] }) {
  const t = useT();
  const toast = useToast();
  // The resolver reads the live list at the moment it checks; the list changes while the form is open.
  const existingRef = useRef(existing);
  existingRef.current = existing;
  const resolver = useCallback<Resolver<NadFormValues>>(async (values) => {
    const r = checkNad(inputOf(values), existingRef.current);
    return r.ok ? { values, errors: {} } : { values: {}, errors: errorsOf(r.problems) };
  }, []);
  const { register, control, handleSubmit, setError, reset, getValues, setValue, formState } = useForm<NadFormValues>({
    resolver,
    defaultValues: empty(namespaces[0] ?? ''),
    mode: 'onTouched',
  });
  const values = useWatch({ control }) as NadFormValues;

  useEffect(() => {
    if (!getValues('namespace') && namespaces[0]) setValue('namespace', namespaces[0]);
  }, [namespaces, getValues, setValue]);

  const [refusal, setRefusal] = useState<{ error: unknown; problems: NadProblem[] } | null>(null);
  const create = useMutation({
    mutationFn: (nad: NadInput) => apiFetch<NadCreated>(apiPaths.adminNetworks, { method: 'POST', body: { nad } satisfies CreateNadRequest }),
  });

  const onSubmit = handleSubmit(async (v) => {
    setRefusal(null);
    try {
      const created = await create.mutateAsync(inputOf(v));
      toast({ tone: 'success', title: interpolate(t('admin.networks.created'), { nad: <Data>{`${created.namespace}/${created.name}`}</Data> }) });
      reset(empty(v.namespace, v.kind));
    } catch (err) {
      const problems = err instanceof ApiError ? problemsOfDetails(err.body.details) : [];
      for (const p of problems) setError(p.field as Path<NadFormValues>, { type: p.key, message: encodeProblem(p) }, { shouldFocus: p === problems[0] });
      setRefusal({ error: err, problems });
    }
  });

  const err = (field: string): string | undefined => {
    const e = get(formState.errors, field) as { message?: string } | undefined;
    return e ? problemText(t, e.message) : undefined;
  };
  const described = (field: string, hint: boolean) => {
    const e = err(field) !== undefined;
    const ids = [hint ? `${fieldId(field)}-hint` : '', e ? `${fieldId(field)}-error` : ''].filter(Boolean).join(' ');
    return { id: fieldId(field), 'aria-invalid': e, 'aria-describedby': ids || undefined };
  };

  // The NAD itself, without the others: its config is shown as soon as it is right in itself.
  const alone = useMemo(() => checkNad(inputOf(values), []), [values]);
  const segment = segmentOf(values.kind, { bridge: values.bridge.trim() || undefined, resourceName: values.resourceName.trim() || undefined, vlan: Number(values.vlan) || undefined, where: '' });
  const sameWire = existing.filter((e) => e.segment === segment && (values.kind === 'bridge' ? values.bridge.trim() : values.resourceName.trim()));
  const bridges = useMemo(() => [...new Set(existing.map((e) => e.bridge).filter((b): b is string => !!b))].sort(), [existing]);
  const pools = useMemo(() => [...new Set(existing.map((e) => e.resourceName).filter((b): b is string => !!b))].sort(), [existing]);

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="nad-form-title" className="flex flex-col gap-4 rounded border border-slate-200 bg-white p-4" data-testid="nad-form">
      <h2 id="nad-form-title" className="text-lg font-semibold">
        {t('admin.networks.form.title')}
      </h2>
      {refusal ? (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="nad-refused">
          <p className="font-semibold">{t('admin.networks.form.refused')}</p>
          {refusal.problems.length ? (
            <ul className="list-disc pl-5">
              {refusal.problems.map((p, i) => (
                <li key={i}>{problemText(t, encodeProblem(p))}</li>
              ))}
            </ul>
          ) : (
            <RefusalText error={refusal.error} />
          )}
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2">
        <Field field="namespace" label={t('admin.networks.field.namespace')} error={err('namespace')}>
          <select {...described('namespace', false)} className={inputClass} {...register('namespace')}>
            <option value="">{t('admin.networks.field.namespaceChoose')}</option>
            {namespaces.map((n) => (
              <option key={n} value={n} translate="no">
                {n}
              </option>
            ))}
          </select>
        </Field>
        <Field field="name" label={t('admin.networks.field.name')} hint={t('admin.networks.field.nameHint')} error={err('name')}>
          <input {...described('name', true)} className={inputClass} autoComplete="off" spellCheck={false} {...register('name')} />
        </Field>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">{t('admin.networks.field.kind')}</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(['bridge', 'sriov'] as const).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input type="radio" value={k} data-testid={`nad-kind-${k}`} {...register('kind')} />
              {t(k === 'bridge' ? 'admin.networks.kind.bridge' : 'admin.networks.kind.sriov')}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        {values.kind === 'bridge' ? (
          <Field field="bridge" label={t('admin.networks.field.bridge')} hint={t('admin.networks.field.bridgeHint')} error={err('bridge')}>
            <input {...described('bridge', true)} className={inputClass} list="nad-bridges" autoComplete="off" spellCheck={false} {...register('bridge')} />
            <datalist id="nad-bridges">
              {bridges.map((b) => (
                <option key={b} value={b} />
              ))}
            </datalist>
          </Field>
        ) : (
          <Field field="resourceName" label={t('admin.networks.field.resourceName')} hint={interpolate(t('admin.networks.field.resourceNameHint'), { annotation: <Data className="font-mono">{NAD_RESOURCE_NAME_ANNOTATION}</Data> })} error={err('resourceName')}>
            <input {...described('resourceName', true)} className={inputClass} list="nad-pools" autoComplete="off" spellCheck={false} {...register('resourceName')} />
            <datalist id="nad-pools">
              {pools.map((b) => (
                <option key={b} value={b} />
              ))}
            </datalist>
          </Field>
        )}
        <Field field="vlan" label={t('admin.networks.field.vlan')} hint={t('admin.networks.field.vlanHint', { min: VLAN_MIN, max: VLAN_MAX })} error={err('vlan')}>
          <input {...described('vlan', true)} className={inputClass} inputMode="numeric" autoComplete="off" {...register('vlan')} />
        </Field>
      </div>

      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium text-slate-800">{t('admin.networks.field.ipam')}</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(['whereabouts', 'host-local', 'none'] as const).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input type="radio" value={k} data-testid={`nad-ipam-${k}`} {...register('ipam.kind')} />
              {t(k === 'whereabouts' ? 'admin.networks.ipam.whereabouts' : k === 'host-local' ? 'admin.networks.ipam.hostLocal' : 'admin.networks.ipam.none')}
            </label>
          ))}
        </div>
        {values.ipam.kind !== 'none' ? (
          <div className="grid gap-4 sm:grid-cols-4">
            <Field field="ipam.subnet" label={t('admin.networks.field.subnet')} hint={t('admin.networks.field.subnetHint')} error={err('ipam.subnet')}>
              <input {...described('ipam.subnet', true)} className={inputClass} autoComplete="off" spellCheck={false} {...register('ipam.subnet')} />
            </Field>
            <Field field="ipam.rangeStart" label={t('admin.networks.field.rangeStart')} hint={t('admin.networks.field.optional')} error={err('ipam.rangeStart')}>
              <input {...described('ipam.rangeStart', true)} className={inputClass} autoComplete="off" spellCheck={false} {...register('ipam.rangeStart')} />
            </Field>
            <Field field="ipam.rangeEnd" label={t('admin.networks.field.rangeEnd')} hint={t('admin.networks.field.optional')} error={err('ipam.rangeEnd')}>
              <input {...described('ipam.rangeEnd', true)} className={inputClass} autoComplete="off" spellCheck={false} {...register('ipam.rangeEnd')} />
            </Field>
            <Field field="ipam.gateway" label={t('admin.networks.field.gateway')} hint={t('admin.networks.field.optional')} error={err('ipam.gateway')}>
              <input {...described('ipam.gateway', true)} className={inputClass} autoComplete="off" spellCheck={false} {...register('ipam.gateway')} />
            </Field>
          </div>
        ) : (
          <p className="text-xs text-slate-600">{t('admin.networks.ipam.noneHint')}</p>
        )}
      </fieldset>

      {sameWire.length ? (
        <div className="text-sm text-slate-700" data-testid="nad-same-wire">
          <p>{t('admin.networks.sameWire')}</p>
          <ul className="list-disc pl-5">
            {sameWire.map((e) => (
              <li key={`${e.namespace}/${e.name}`}>
                <Data>{`${e.namespace}/${e.name}`}</Data>
                {': '}
                {e.ranges.length ? <Data className="font-mono text-xs">{e.ranges.map(rangeText).join(', ')}</Data> : t('admin.networks.noAddresses')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-labelledby="nad-config-title" className="flex flex-col gap-1">
        <h3 id="nad-config-title" className="text-sm font-medium text-slate-800">
          {t('admin.networks.config')}
        </h3>
        {alone.ok ? (
          <>
            <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" translate="no" data-testid="nad-config">
              {cniConfigText(alone.spec)}
            </pre>
            {alone.spec.kind === 'sriov' ? (
              <p className="text-xs text-slate-600">{interpolate(t('admin.networks.annotation'), { annotation: <Data className="font-mono">{`${NAD_RESOURCE_NAME_ANNOTATION}: ${alone.spec.resourceName}`}</Data> })}</p>
            ) : null}
          </>
        ) : (
          <p className="text-sm text-slate-600" data-testid="nad-config-pending">
            {t('admin.networks.configPending')}
          </p>
        )}
      </section>

      <div className="flex gap-3">
        <button type="submit" className={primaryButtonClass} disabled={formState.isSubmitting} data-testid="nad-submit">
          {formState.isSubmitting ? t('admin.networks.form.saving') : t('admin.networks.form.submit')}
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={() => {
            setRefusal(null);
            reset(empty(getValues('namespace'), getValues('kind')));
          }}
        >
          {t('admin.networks.form.clear')}
        </button>
      </div>
    </form>
  );
}

function RefusalText({ error }: { error: unknown }) {
  const t = useT();
  const { summary, reason } = describeError(error, t);
  return (
    <>
      <p>{summary}</p>
      {reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
    </>
  );
}
