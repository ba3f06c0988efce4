'use client';
import { useEffect, useRef } from 'react';
import { useFieldArray, useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { buttonClass, FieldError, Note, SelectField, TextField, type Choice } from './fields';
import { useCreateForm } from './form-context';
import { DEFAULT_EXTRA_DISK_SIZE, nextFreeName } from './form-values';
import { formatQuantity } from './units';
import { Data } from '@/lib/i18n/interpolate';
import { accessModes, volumeModes } from '@/lib/kubevirt/create/form';
import type { CreateOptions, StorageClassOption } from '@/lib/shared/create-api';
import type { Translate } from '@/lib/i18n/locales';

const MAX_EXTRA_DISKS = 8;

function classChoices(classes: StorageClassOption[], t: Translate): Choice[] {
  return classes.map((c) => ({ value: c.name, label: c.isDefault ? t('create.storage.classIsDefault', { name: c.name }) : c.name, data: !c.isDefault }));
}

// Modes the class's storage profile names; all of them when it names none (then CDI or the admin decides).
const limitTo = <T extends string>(all: readonly T[], offered: string[] | undefined): T[] => (offered?.length ? all.filter((m) => offered.includes(m)) : [...all]);

// Step 4: the root disk (size, storage class, access and volume mode, limited to what the class offers) and
// blank extra disks. A container disk has no root disk to size.
export function StepStorage({ options }: { options: CreateOptions | undefined }) {
  const t = useT();
  const { control, setValue } = useCreateForm();
  const source = useWatch({ control, name: 'bootSource' });
  const root = useWatch({ control, name: 'rootDisk' });
  const disks = useWatch({ control, name: 'extraDisks' }) ?? [];
  const { fields, append, remove } = useFieldArray({ control, name: 'extraDisks' });
  const addRef = useRef<HTMLButtonElement>(null);

  const classes = options?.storageClasses ?? [];
  const defaultClass = classes.find((c) => c.isDefault);
  const rootClass = root?.storageClass ? classes.find((c) => c.name === root.storageClass) : defaultClass;
  const access = limitTo(accessModes, rootClass?.accessModes);
  const volume = limitTo(volumeModes, rootClass?.volumeModes);

  // A mode the newly chosen class does not offer is dropped, back to the profile's default.
  useEffect(() => {
    if (root?.accessMode && !access.includes(root.accessMode)) setValue('rootDisk.accessMode', undefined, { shouldDirty: true });
    if (root?.volumeMode && !volume.includes(root.volumeMode)) setValue('rootDisk.volumeMode', undefined, { shouldDirty: true });
  }, [access, volume, root?.accessMode, root?.volumeMode, setValue]);

  const sourceSize =
    source.kind === 'dataSource'
      ? options?.dataSources.find((d) => d.namespace === source.namespace && d.name === source.name)?.size
      : source.kind === 'pvc'
        ? options?.pvcs.find((p) => p.namespace === source.namespace && p.name === source.name)?.size
        : undefined;
  const unsetClass = defaultClass ? t('create.storage.clusterDefaultIs', { name: defaultClass.name }) : t('create.storage.clusterDefault');

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="create-root-disk-title" className="flex flex-col gap-3">
        <h3 id="create-root-disk-title" className="font-semibold">
          {t('create.storage.rootDisk')}
        </h3>
        {source.kind === 'containerDisk' ? (
          <Note testId="create-no-root-disk">{t('create.storage.containerDisk')}</Note>
        ) : (
          <>
            <div className="grid max-w-3xl gap-4 sm:grid-cols-2">
              <TextField
                path="rootDisk.size"
                label={t('create.storage.size')}
                hint={sourceSize ? t('create.storage.sizeFromSource', { size: formatQuantity(sourceSize) }) : t('create.storage.sizeHint')}
                autoComplete="off"
                spellCheck={false}
                translate="no"
                data-testid="create-root-size"
              />
              <SelectField path="rootDisk.storageClass" label={t('create.storage.class')} unset={unsetClass} choices={classChoices(classes, t)} data-testid="create-root-class" />
              <SelectField
                path="rootDisk.accessMode"
                label={t('create.storage.accessMode')}
                hint={t('create.storage.rwxHint')}
                unset={t('create.storage.fromProfile')}
                choices={access.map((m) => ({ value: m, label: m, data: true }))}
                data-testid="create-root-access"
              />
              <SelectField
                path="rootDisk.volumeMode"
                label={t('create.storage.volumeMode')}
                hint={t('create.storage.volumeModeHint')}
                unset={t('create.storage.fromProfile')}
                choices={volume.map((m) => ({ value: m, label: m, data: true }))}
                data-testid="create-root-volume"
              />
            </div>
            {rootClass?.accessModes.length && !rootClass.accessModes.includes('ReadWriteMany') ? (
              <p className="text-sm text-amber-800" data-testid="create-no-rwx">
                {t('create.storage.noRwx')}
              </p>
            ) : null}
          </>
        )}
        <StorageClassTable classes={classes} chosen={rootClass?.name} />
      </section>

      <section aria-labelledby="create-extra-disks-title" className="flex flex-col gap-3">
        <h3 id="create-extra-disks-title" className="font-semibold">
          {t('create.storage.extraDisks')}
        </h3>
        {fields.length === 0 ? <p className="text-sm text-slate-600">{t('create.storage.noExtraDisks')}</p> : null}
        <ul className="flex flex-col gap-3">
          {fields.map((f, i) => (
            <li key={f.id} className="grid items-start gap-3 rounded border border-slate-200 bg-white p-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid={`extra-disk-${i}`}>
              <TextField path={`extraDisks.${i}.name`} label={t('create.storage.diskName')} autoComplete="off" spellCheck={false} translate="no" />
              <TextField path={`extraDisks.${i}.size`} label={t('create.storage.size')} autoComplete="off" spellCheck={false} translate="no" />
              <SelectField path={`extraDisks.${i}.storageClass`} label={t('create.storage.class')} unset={unsetClass} choices={classChoices(classes, t)} />
              <button
                type="button"
                className={`${buttonClass} sm:mt-6`}
                aria-label={t('create.storage.removeDisk', { name: disks[i]?.name || String(i + 1) })}
                onClick={() => {
                  remove(i);
                  addRef.current?.focus();
                }}
              >
                {t('create.remove')}
              </button>
              <div className="sm:col-span-4">
                <FieldError path={`extraDisks.${i}`} />
              </div>
            </li>
          ))}
        </ul>
        <FieldError path="extraDisks" />
        <div>
          <button
            ref={addRef}
            type="button"
            className={buttonClass}
            data-testid="add-disk"
            disabled={fields.length >= MAX_EXTRA_DISKS}
            aria-describedby={fields.length >= MAX_EXTRA_DISKS ? 'create-disks-max' : undefined}
            onClick={() => append({ name: nextFreeName('disk', disks.map((d) => d?.name ?? '')), size: DEFAULT_EXTRA_DISK_SIZE })}
          >
            {t('create.storage.addDisk')}
          </button>
          {fields.length >= MAX_EXTRA_DISKS ? (
            <p id="create-disks-max" className="mt-1 text-xs text-slate-600">
              {t('create.storage.maxDisks', { max: MAX_EXTRA_DISKS })}
            </p>
          ) : null}
        </div>
      </section>
    </div>
  );
}

// What each class can do, side by side: access and volume modes from CDI's storage profile, snapshots, expansion.
function StorageClassTable({ classes, chosen }: { classes: StorageClassOption[]; chosen: string | undefined }) {
  const t = useT();
  if (!classes.length) return <p className="text-sm text-slate-600">{t('create.storage.noClasses')}</p>;
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const modes = (m: string[]) => (m.length ? <Data>{m.join(', ')}</Data> : t('create.storage.notSaid'));
  return (
    <div className="overflow-x-auto">
      <table className="w-full max-w-4xl text-left text-sm" data-testid="storage-classes">
        <caption className="mb-1 text-left text-sm font-medium text-slate-800">{t('create.storage.classes')}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-slate-500">
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.storage.class')}</th>
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.storage.accessModes')}</th>
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.storage.volumeModes')}</th>
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.storage.snapshots')}</th>
            <th scope="col" className="py-1 pr-3 font-medium">{t('create.storage.expansion')}</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c.name} className={`border-b border-slate-100 align-top ${c.name === chosen ? 'bg-sky-50' : ''}`} data-testid={`storage-class-${c.name}`}>
              <th scope="row" className="py-1 pr-3 font-normal">
                <Data className="font-mono">{c.name}</Data>
                {c.isDefault ? <span className="ml-1 text-xs text-slate-500">{t('create.storage.default')}</span> : null}
                {c.name === chosen ? <span className="ml-1 text-xs font-medium text-sky-800">{t('create.storage.chosen')}</span> : null}
                {c.description ? (
                  <span className="block text-xs text-slate-500">
                    <Data>{c.description}</Data>
                  </span>
                ) : null}
              </th>
              <td className="py-1 pr-3">{modes(c.accessModes)}</td>
              <td className="py-1 pr-3">{modes(c.volumeModes)}</td>
              <td className="py-1 pr-3">{yesNo(c.snapshots)}</td>
              <td className="py-1 pr-3">{yesNo(c.expansion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
