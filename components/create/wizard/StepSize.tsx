'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { FieldError, Note, RadioCard, SelectField, TextField, type Choice } from './fields';
import { useCreateForm } from './form-context';
import { groupInstancetypes, seriesClass, seriesOf, suggestedInstancetype } from './instancetypes';
import { fieldId } from './steps';
import { Tabs } from './Tabs';
import { formatQuantity } from './units';
import { Data } from '@/lib/i18n/interpolate';
import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions, InstancetypeOption } from '@/lib/shared/create-api';

type Size = CreateVmFormInput['size'];
type Kind = Size['kind'];

// Step 3: how big the VM is, as KubeVirt's console offers it: an instance type picked by series and size, or
// vCPUs and memory set by hand; a preference (the guest OS's defaults) for either.
export function StepSize({ options }: { options: CreateOptions | undefined }) {
  const t = useT();
  const { control, setValue } = useCreateForm();
  const size = useWatch({ control, name: 'size' });
  const list = useMemo(() => options?.instancetypes ?? [], [options?.instancetypes]);
  const groups = useMemo(() => groupInstancetypes(list), [list]);
  const chosen = size.kind === 'instancetype' ? size.instancetype : undefined;
  const [series, setSeries] = useState<string | undefined>();
  const activeSeries = series && groups.some((g) => g.series === series) ? series : seriesOf(groups, chosen);
  const memory = useRef<Partial<Record<Kind, Size>>>({});

  // The console's default size, once the cluster has said which exist.
  useEffect(() => {
    if (size.kind === 'instancetype' && !size.instancetype) {
      const s = suggestedInstancetype(list);
      if (s) setValue('size.instancetype', s);
    }
  }, [list, size, setValue]);

  const chooseKind = (kind: Kind) => {
    if (kind === size.kind) return;
    memory.current[size.kind] = size;
    const it = list.find((i) => i.name === chosen);
    const next: Size =
      memory.current[kind] ??
      (kind === 'custom'
        ? { kind, cpu: it?.cpu ?? 1, memory: it?.memory ?? '2Gi', preference: size.preference }
        : { kind, instancetype: suggestedInstancetype(list) ?? '', preference: size.preference });
    setValue('size', { ...next, preference: size.preference }, { shouldDirty: true });
  };
  const pick = (it: InstancetypeOption) => setValue('size.instancetype', it.name, { shouldDirty: true, shouldValidate: true });

  const preferences: Choice[] = (options?.preferences ?? []).map((p) => ({ value: p.name, label: p.displayName ? `${p.displayName} (${p.name})` : p.name, data: true }));
  const group = groups.find((g) => g.series === activeSeries);

  return (
    <div className="flex flex-col gap-4">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t('create.size.kind')}</legend>
        <div className="grid max-w-2xl gap-2 sm:grid-cols-2">
          <RadioCard name="create-size-kind" value="instancetype" checked={size.kind === 'instancetype'} onSelect={() => chooseKind('instancetype')} title={t('create.size.kind.instancetype')} testId="size-kind-instancetype">
            {t('create.size.kind.instancetype.hint')}
          </RadioCard>
          <RadioCard name="create-size-kind" value="custom" checked={size.kind === 'custom'} onSelect={() => chooseKind('custom')} title={t('create.size.kind.custom')} testId="size-kind-custom">
            {t('create.size.kind.custom.hint')}
          </RadioCard>
        </div>
      </fieldset>

      {size.kind === 'instancetype' ? (
        list.length === 0 ? (
          <Note tone="warning">{t('create.size.noInstancetypes')}</Note>
        ) : (
          <div>
            <Tabs
              label={t('create.size.series')}
              idPrefix="create-series"
              value={activeSeries ?? ''}
              onChange={setSeries}
              tabs={groups.map((g) => {
                const c = seriesClass(g.series);
                return {
                  id: g.series,
                  title: (
                    <>
                      <Data className="font-mono">{g.series}</Data>
                      {c ? <span className="ml-1 text-xs text-slate-500">{t(`create.size.series.${c}`)}</span> : null}
                    </>
                  ),
                };
              })}
            >
              <fieldset id={fieldId('size.instancetype')} tabIndex={-1} aria-describedby={`${fieldId('size.instancetype')}-error`}>
                <legend className="sr-only">{t('create.size.sizes')}</legend>
                <div className="grid gap-2 sm:grid-cols-3 lg:grid-cols-4">
                  {(group?.sizes ?? []).map((it) => (
                    <RadioCard
                      key={it.name}
                      name="create-instancetype"
                      value={it.name}
                      checked={chosen === it.name}
                      onSelect={() => pick(it)}
                      testId={`instancetype-${it.name}`}
                      title={<Data>{it.size || it.name}</Data>}
                    >
                      {t('create.size.cpuMemory', { cpu: it.cpu, memory: formatQuantity(it.memory) })}
                      {it.displayName || it.description ? (
                        <span className="block">
                          <Data>{it.displayName ?? it.description}</Data>
                        </span>
                      ) : null}
                    </RadioCard>
                  ))}
                </div>
              </fieldset>
            </Tabs>
            {chosen && !list.some((i) => i.name === chosen) ? (
              <p className="mt-2 text-sm text-amber-800">
                {t('create.size.unknownInstancetype')} <Data>{chosen}</Data>
              </p>
            ) : null}
            <FieldError path="size.instancetype" />
          </div>
        )
      ) : (
        <div className="grid max-w-xl gap-4 sm:grid-cols-2">
          <TextField path="size.cpu" type="number" min={1} max={64} step={1} inputMode="numeric" label={t('create.size.cpu')} hint={t('create.size.cpuHint')} rules={{ valueAsNumber: true }} data-testid="create-cpu" />
          <TextField path="size.memory" label={t('create.size.memory')} hint={t('create.size.memoryHint')} autoComplete="off" spellCheck={false} translate="no" data-testid="create-memory" />
        </div>
      )}

      <SelectField
        className="max-w-xl"
        path="size.preference"
        label={t('create.size.preference')}
        hint={t('create.size.preferenceHint')}
        unset={t('create.size.noPreference')}
        choices={preferences}
        data-testid="create-preference"
      />
    </div>
  );
}
