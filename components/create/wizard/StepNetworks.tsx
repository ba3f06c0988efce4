'use client';
import { useRef } from 'react';
import { useFieldArray, useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { buttonClass, errorId, FieldError, inputClass, useDescribed, useFieldError } from './fields';
import { useCreateForm } from './form-context';
import { isNad, nadRef, nextFreeName } from './form-values';
import { fieldId } from './steps';
import { Data } from '@/lib/i18n/interpolate';
import { interfaceBindings, type CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions, NetworkOption } from '@/lib/shared/create-api';

const MAX_NETWORKS = 8;
type Net = CreateVmFormInput['networks'] extends (infer N)[] | undefined ? N : never;

const bindingFor = (nad: NetworkOption | undefined): Net['binding'] => (nad?.type === 'sriov' ? 'sriov' : 'bridge');

// Step 6: the VM's interfaces. The pod network (masquerade by default) and secondary networks from the
// NetworkAttachmentDefinitions the user may use, each with its binding. KubeVirt's rules (one pod network,
// masquerade only there, SR-IOV only on an SR-IOV network) come back from the form model as field errors.
export function StepNetworks({ options }: { options: CreateOptions | undefined }) {
  const t = useT();
  const { control } = useCreateForm();
  const namespace = useWatch({ control, name: 'namespace' });
  const nets = useWatch({ control, name: 'networks' }) ?? [];
  const { fields, append, remove } = useFieldArray({ control, name: 'networks' });
  const addRef = useRef<HTMLButtonElement>(null);
  const nads = options?.networks ?? [];

  const add = () => {
    const names = nets.map((n) => n?.name ?? '');
    const hasPod = nets.some((n) => n?.source?.kind === 'pod');
    const nad = nads.find((n) => !nets.some((x) => x?.source?.kind === 'multus' && isNad(namespace, x.source.networkName, n))) ?? nads[0];
    if (!hasPod || !nad) append({ name: hasPod ? nextFreeName('net', names) : 'default', source: { kind: 'pod' }, binding: 'masquerade' });
    else append({ name: nextFreeName('net', names), source: { kind: 'multus', networkName: nadRef(namespace, nad) }, binding: bindingFor(nad) });
  };

  return (
    <div className="flex flex-col gap-4">
      <p className="max-w-3xl text-sm text-slate-700">{t('create.networks.rules')}</p>
      <FieldError path="networks" />
      <div className="overflow-x-auto">
        <table className="w-full max-w-5xl text-left text-sm" data-testid="networks">
          <caption className="sr-only">{t('create.networks.caption')}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.networks.name')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.networks.network')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.networks.details')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('create.networks.binding')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">
                <span className="sr-only">{t('create.networks.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <NetworkRow
                key={f.id}
                index={i}
                net={nets[i]}
                namespace={namespace}
                nads={nads}
                onRemove={() => {
                  remove(i);
                  addRef.current?.focus();
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      {fields.length === 0 ? <p className="text-sm text-amber-800">{t('create.networks.none')}</p> : null}
      {nads.length === 0 ? <p className="text-sm text-slate-600">{t('create.networks.noNads')}</p> : null}
      <div>
        <button ref={addRef} type="button" className={buttonClass} data-testid="add-network" disabled={fields.length >= MAX_NETWORKS} onClick={add}>
          {t('create.networks.add')}
        </button>
      </div>
    </div>
  );
}

function NetworkRow({ index, net, namespace, nads, onRemove }: { index: number; net: Net | undefined; namespace: string; nads: NetworkOption[]; onRemove: () => void }) {
  const t = useT();
  const { register, setValue } = useCreateForm();
  const base = `networks.${index}` as const;
  const source = net?.source;
  const nad = source?.kind === 'multus' ? nads.find((n) => isNad(namespace, source.networkName, n)) : undefined;
  const value = !source || source.kind === 'pod' ? 'pod' : `nad:${source.networkName}`;
  const known = new Set(['pod', ...nads.map((n) => `nad:${nadRef(namespace, n)}`)]);
  const sourceOwnError = useFieldError(`${base}.source`);
  const networkNameError = useFieldError(`${base}.source.networkName`);
  const sourceError = sourceOwnError ?? networkNameError;
  const rowError = useFieldError(base);
  const nameDescribed = useDescribed(`${base}.name`, false);
  const bindingDescribed = useDescribed(`${base}.binding`, false);
  const n = index + 1;

  const onNetwork = (v: string) => {
    if (v === 'pod') {
      setValue(`${base}.source`, { kind: 'pod' }, { shouldDirty: true, shouldValidate: true });
      setValue(`${base}.binding`, 'masquerade', { shouldDirty: true, shouldValidate: true });
      return;
    }
    const networkName = v.slice('nad:'.length);
    setValue(`${base}.source`, { kind: 'multus', networkName }, { shouldDirty: true, shouldValidate: true });
    setValue(`${base}.binding`, bindingFor(nads.find((x) => isNad(namespace, networkName, x))), { shouldDirty: true, shouldValidate: true });
  };

  return (
    <>
      <tr className="align-top" data-testid={`network-${index}`}>
        <td className="py-1 pr-3">
          <label htmlFor={fieldId(`${base}.name`)} className="sr-only">
            {t('create.networks.nameOf', { n })}
          </label>
          <input {...nameDescribed} autoComplete="off" spellCheck={false} translate="no" className={`${inputClass} font-mono`} {...register(`${base}.name`)} />
          <FieldError path={`${base}.name`} />
        </td>
        <td className="py-1 pr-3">
          <label htmlFor={fieldId(`${base}.source`)} className="sr-only">
            {t('create.networks.networkOf', { n })}
          </label>
          <select
            id={fieldId(`${base}.source`)}
            aria-invalid={sourceError !== undefined}
            aria-describedby={sourceError !== undefined ? errorId(`${base}.source`) : undefined}
            className={inputClass}
            data-testid={`network-${index}-source`}
            value={value}
            onChange={(e) => onNetwork(e.target.value)}
          >
            <option value="pod">{t('net.pod')}</option>
            {nads.map((x) => (
              <option key={`${x.namespace}/${x.name}`} value={`nad:${nadRef(namespace, x)}`} translate="no">
                {nadRef(namespace, x)}
              </option>
            ))}
            {known.has(value) ? null : (
              <option value={value} translate="no">
                {value.slice('nad:'.length)}
              </option>
            )}
          </select>
          <FieldError path={`${base}.source`} message={sourceError} />
        </td>
        <td className="py-1 pr-3 text-slate-700">
          {source?.kind === 'pod' ? (
            t('create.networks.podDetails')
          ) : nad ? (
            <>
              {t('create.networks.type')} <Data>{nad.type}</Data>
              {nad.vlan !== undefined ? (
                <>
                  {' · '}
                  {t('create.networks.vlan', { vlan: nad.vlan })}
                </>
              ) : null}
            </>
          ) : (
            t('create.networks.unknownNad')
          )}
        </td>
        <td className="py-1 pr-3">
          <label htmlFor={fieldId(`${base}.binding`)} className="sr-only">
            {t('create.networks.bindingOf', { n })}
          </label>
          <select {...bindingDescribed} className={inputClass} data-testid={`network-${index}-binding`} {...register(`${base}.binding`)}>
            {interfaceBindings.map((b) => (
              <option key={b} value={b}>
                {t(`create.networks.binding.${b}`)}
              </option>
            ))}
          </select>
          <FieldError path={`${base}.binding`} />
        </td>
        <td className="py-1 pr-3">
          <button type="button" className={buttonClass} aria-label={t('create.networks.remove', { name: net?.name || String(n) })} onClick={onRemove}>
            {t('create.remove')}
          </button>
        </td>
      </tr>
      {rowError !== undefined ? (
        <tr>
          <td colSpan={5} className="pb-2">
            <FieldError path={base} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
