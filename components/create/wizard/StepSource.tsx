'use client';
import { useRef } from 'react';
import { useFormState, useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { FieldError, Note, ProblemMessage, RadioCard, TextField } from './fields';
import { useCreateForm } from './form-context';
import { errorsUnder, flattenErrors } from './errors';
import { DEFAULT_ROOT_DISK_SIZE } from './form-values';
import { fieldId } from './steps';
import { formatQuantity } from './units';
import { Data } from '@/lib/i18n/interpolate';
import { sizeQuantity, type CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions, DataSourceOption, PvcOption } from '@/lib/shared/create-api';

type Source = CreateVmFormInput['bootSource'];
type Kind = Source['kind'];
const KINDS: Kind[] = ['dataSource', 'containerDisk', 'http', 'pvc'];

const blank = (kind: Kind): Source => {
  switch (kind) {
    case 'dataSource':
    case 'pvc':
      return { kind, namespace: '', name: '' };
    case 'containerDisk':
      return { kind, image: '' };
    case 'http':
      return { kind, url: '' };
  }
};

// Step 2: what the VM boots from. Choosing an image or a volume with a known size prefills the root disk's size
// (unless the user already typed one). Switching kinds and back keeps what was chosen for each.
export function StepSource({ options }: { options: CreateOptions | undefined }) {
  const t = useT();
  const { control, setValue, getValues, getFieldState } = useCreateForm();
  const source = useWatch({ control, name: 'bootSource' });
  const namespace = useWatch({ control, name: 'namespace' });
  const memory = useRef<Partial<Record<Kind, Source>>>({});
  const { errors } = useFormState({ control, name: 'bootSource' });
  const sourceErrors = errorsUnder(flattenErrors(errors.bootSource, 'bootSource'), 'bootSource');

  const chooseKind = (kind: Kind) => {
    if (kind === source.kind) return;
    memory.current[source.kind] = source;
    setValue('bootSource', memory.current[kind] ?? blank(kind), { shouldDirty: true });
    // A container disk has no root disk, and its (hidden) size must not hold the wizard up.
    if (kind === 'containerDisk' && !sizeQuantity.safeParse(getValues('rootDisk.size')).success) setValue('rootDisk.size', DEFAULT_ROOT_DISK_SIZE);
  };
  const prefillSize = (size: string | undefined) => {
    if (size && !getFieldState('rootDisk.size').isDirty) setValue('rootDisk.size', size);
  };
  const chooseClaimLike = (kind: 'dataSource' | 'pvc', o: { namespace: string; name: string; size?: string }) => {
    setValue('bootSource', { kind, namespace: o.namespace, name: o.name }, { shouldDirty: true, shouldValidate: sourceErrors.length > 0 });
    prefillSize(o.size);
  };
  const picked = (kind: Kind, o: { namespace: string; name: string }) =>
    source.kind === kind && 'name' in source && source.namespace === o.namespace && source.name === o.name;
  // Nothing picked yet: say so, rather than the model's words about an empty name.
  const listError =
    (source.kind === 'dataSource' || source.kind === 'pvc') && sourceErrors.length ? (source.name ? sourceErrors[0]!.message : 'source.required') : undefined;

  return (
    <div className="flex flex-col gap-4">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t('create.source.kind')}</legend>
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {KINDS.map((k) => (
            <RadioCard key={k} name="create-source-kind" value={k} checked={source.kind === k} onSelect={() => chooseKind(k)} title={t(`create.source.kind.${k}`)} testId={`source-kind-${k}`}>
              {t(`create.source.kind.${k}.hint`)}
            </RadioCard>
          ))}
        </div>
      </fieldset>

      {source.kind === 'dataSource' ? (
        <ClaimList
          legend={t('create.source.dataSources')}
          empty={t('create.source.noDataSources')}
          items={options?.dataSources ?? []}
          vmNamespace={namespace}
          render={(ds: DataSourceOption) => ({
            title: <Data>{ds.os ?? ds.name}</Data>,
            detail: (
              <>
                <Data>{ds.name}</Data>
                {ds.size ? <> · {t('create.source.size', { size: formatQuantity(ds.size) })}</> : null}
                {' · '}
                {ds.ready ? <span className="text-emerald-800">{t('create.source.ready')}</span> : <span className="text-amber-800">{t('create.source.notReady')}</span>}
              </>
            ),
          })}
          isPicked={(o) => picked('dataSource', o)}
          onPick={(o) => chooseClaimLike('dataSource', o)}
          error={listError}
          testId="datasource"
        />
      ) : null}

      {source.kind === 'containerDisk' ? (
        <div className="max-w-2xl">
          <TextField path="bootSource.image" label={t('create.source.image')} hint={t('create.source.imageHint')} autoComplete="off" spellCheck={false} translate="no" data-testid="create-image" />
          <p className="mt-2 text-sm text-slate-600">{t('create.source.containerDiskNote')}</p>
        </div>
      ) : null}

      {source.kind === 'http' ? (
        <div className="max-w-2xl">
          <TextField path="bootSource.url" type="url" label={t('create.source.url')} hint={t('create.source.urlHint')} autoComplete="off" spellCheck={false} translate="no" data-testid="create-url" />
        </div>
      ) : null}

      {source.kind === 'pvc' ? (
        <ClaimList
          legend={t('create.source.pvcs')}
          empty={t('create.source.noPvcs')}
          items={options?.pvcs ?? []}
          vmNamespace={namespace}
          render={(p: PvcOption) => ({
            title: <Data>{p.name}</Data>,
            detail: (
              <>
                {p.size ? t('create.source.size', { size: formatQuantity(p.size) }) : t('create.source.sizeUnknown')}
                {p.storageClass ? (
                  <>
                    {' · '}
                    {t('create.source.storageClass')} <Data>{p.storageClass}</Data>
                  </>
                ) : null}
                {p.volumeMode ? (
                  <>
                    {' · '}
                    <Data>{p.volumeMode}</Data>
                  </>
                ) : null}
              </>
            ),
          })}
          isPicked={(o) => picked('pvc', o)}
          onPick={(o) => chooseClaimLike('pvc', o)}
          error={listError}
          testId="pvc"
        />
      ) : null}
      {source.kind === 'pvc' ? <p className="text-sm text-slate-600">{t('create.source.cloneNote')}</p> : null}
      {source.kind === 'dataSource' || source.kind === 'pvc' ? null : <FieldError path="bootSource.kind" />}
    </div>
  );
}

// Images or volumes to pick one from, grouped by namespace (the VM's own first, then the shared ones).
function ClaimList<T extends { namespace: string; name: string; size?: string }>({
  legend,
  empty,
  items,
  vmNamespace,
  render,
  isPicked,
  onPick,
  error,
  testId,
}: {
  legend: string;
  empty: string;
  items: T[];
  vmNamespace: string;
  render: (item: T) => { title: React.ReactNode; detail: React.ReactNode };
  isPicked: (item: T) => boolean;
  onPick: (item: T) => void;
  error?: string;
  testId: string;
}) {
  const t = useT();
  const groups = [...new Set(items.map((i) => i.namespace))].sort((a, b) => Number(b === vmNamespace) - Number(a === vmNamespace) || a.localeCompare(b));
  const errId = `${fieldId('bootSource.name')}-error`;
  return (
    <fieldset id={fieldId('bootSource.name')} tabIndex={-1} aria-describedby={error ? errId : undefined} className="flex flex-col gap-3" data-testid={`${testId}-list`}>
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      {items.length === 0 ? <Note>{empty}</Note> : null}
      {groups.map((ns) => (
        <div key={ns}>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
            {ns === vmNamespace ? t('create.source.thisNamespace') : t('create.source.sharedNamespace')} (<Data>{ns}</Data>)
          </h3>
          <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {items
              .filter((i) => i.namespace === ns)
              .map((i) => {
                const r = render(i);
                return (
                  <RadioCard key={`${i.namespace}/${i.name}`} name={`create-${testId}`} value={`${i.namespace}/${i.name}`} checked={isPicked(i)} onSelect={() => onPick(i)} title={r.title} testId={`${testId}-${i.namespace}-${i.name}`}>
                    {r.detail}
                  </RadioCard>
                );
              })}
          </div>
        </div>
      ))}
      {error ? (
        <p id={errId} className="text-sm text-red-700" data-testid={`error-${testId}`}>
          <ProblemMessage message={error} />
        </p>
      ) : null}
    </fieldset>
  );
}
