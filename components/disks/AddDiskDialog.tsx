'use client';
import { useMemo, useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/Toaster';
import { useT } from '../i18n/I18nProvider';
import { ErrorText, reasonNode, sizeExamples, sizeText } from './disk-text';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { MessageKey } from '@/lib/i18n/locales';
import { apiFetch } from '@/lib/live/api-client';
import { accessModes, volumeModes } from '@/lib/kubevirt/create/form';
import { addDiskRequest, HOTPLUG_BUS, nextDiskName, takenDiskNames, type AddDiskResponse, type ClaimLike, type OperationState } from '@/lib/kubevirt/disks';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';
import type { StorageClassOption } from '@/lib/shared/create-api';

const inputClass = 'w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600 disabled:bg-slate-100';

// Modes the class's storage profile names; all of them when it names none (then CDI or the admin decides).
const limitTo = <T extends string>(all: readonly T[], offered: string[] | undefined): T[] => (offered?.length ? all.filter((m) => offered.includes(m)) : [...all]);

type Source = 'blank' | 'claim';

/**
 * Adds a disk to the VM: a new blank one (a DataVolume of a class and size) or a claim of the namespace that is
 * free. Checked here with the route's own schema; the route checks again and the API server decides. A refusal
 * stays in the dialog, with the API server's reason, so the form can be corrected.
 */
export function AddDiskDialog({
  vm,
  running,
  classes,
  claims,
  canBlank,
  canClaim,
  onClose,
}: {
  vm: VirtualMachine;
  running: boolean;
  classes: StorageClassOption[] | undefined;
  // The namespace's free claims; undefined when they cannot be listed.
  claims: (ClaimLike & { metadata?: { name?: string } })[] | undefined;
  canBlank: OperationState;
  canClaim: OperationState;
  onClose: () => void;
}) {
  const t = useT();
  const toast = useToast();
  const namespace = vm.metadata?.namespace ?? '';
  const vmName = vm.metadata?.name ?? '';
  const taken = useMemo(() => takenDiskNames(vm), [vm]);
  const [source, setSource] = useState<Source>(canBlank.enabled ? 'blank' : 'claim');
  const [name, setName] = useState(() => nextDiskName(taken));
  const [size, setSize] = useState('1Gi');
  const [storageClass, setStorageClass] = useState('');
  const [accessMode, setAccessMode] = useState('');
  const [volumeMode, setVolumeMode] = useState('');
  const [claim, setClaim] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const defaultClass = classes?.find((c) => c.isDefault);
  const chosenClass = storageClass ? classes?.find((c) => c.name === storageClass) : defaultClass;
  const access = limitTo(accessModes, chosenClass?.accessModes);
  const volume = limitTo(volumeModes, chosenClass?.volumeModes);

  const body =
    source === 'blank'
      ? { source, name, size, ...(storageClass ? { storageClass } : {}), ...(accessMode && access.includes(accessMode as never) ? { accessMode } : {}), ...(volumeMode && volume.includes(volumeMode as never) ? { volumeMode } : {}) }
      : { source, name, claim };
  const parsed = addDiskRequest.safeParse(body);
  const problems: Record<string, MessageKey> = {};
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? '');
      if (problems[field]) continue;
      problems[field] = i.message.startsWith('disks.error.') ? (i.message as MessageKey) : field === 'claim' ? 'disks.add.claimRequired' : 'disks.error.invalid';
    }
  }
  if (!problems.name && taken.has(name)) problems.name = 'disks.add.nameTaken';
  const shown = (field: string) => (tried || field === 'name' ? problems[field] : undefined);
  const canSubmit = Object.keys(problems).length === 0 && (source === 'blank' ? canBlank.enabled : canClaim.enabled);

  const submit = async () => {
    setTried(true);
    if (!canSubmit || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const res = await apiFetch<AddDiskResponse>(apiPaths.vmDisks(namespace, vmName), { method: 'POST', body: parsed.data });
      toast({ tone: 'success', title: interpolate(t('disks.add.done'), { disk: <Data>{res.disk}</Data>, name: <Data>{vmName}</Data> }) });
      onClose();
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };

  const error = (field: string) => {
    const key = shown(field);
    return key ? (
      <p id={`add-disk-${field}-error`} className="mt-1 text-sm text-red-700" data-testid={`add-disk-error-${field}`}>
        {interpolate(t(key), sizeExamples)}
      </p>
    ) : null;
  };
  const described = (field: string, hint = false) => {
    const ids = [hint ? `add-disk-${field}-hint` : '', shown(field) ? `add-disk-${field}-error` : ''].filter(Boolean).join(' ');
    return { id: `add-disk-${field}`, 'aria-invalid': Boolean(shown(field)), 'aria-describedby': ids || undefined };
  };
  const sourceOption = (s: Source, state: OperationState) => (
    <label className={`flex items-start gap-2 rounded border p-2 text-sm ${source === s ? 'border-sky-600 bg-sky-50' : 'border-slate-200'}`}>
      <input type="radio" name="add-disk-source" value={s} checked={source === s} disabled={!state.enabled} data-testid={`add-disk-source-${s}`} onChange={() => setSource(s)} className="mt-1" />
      <span>
        <span className="block font-medium">{t(s === 'blank' ? 'disks.add.blank' : 'disks.add.claim')}</span>
        <span className="block text-xs text-slate-600">{t(s === 'blank' ? 'disks.add.blankHint' : 'disks.add.claimHint')}</span>
        {state.enabled ? null : <span className="block text-xs text-slate-500">{reasonNode(state, t)}</span>}
      </span>
    </label>
  );

  return (
    <Dialog open onClose={onClose} title={t('disks.add.title', { name: vmName })} testId="add-disk-dialog">
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="text-sm text-slate-700" data-testid="add-disk-when">
          {running ? t('disks.add.whenRunning') : t('disks.add.whenStopped')}
        </p>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">{t('disks.add.source')}</legend>
          {sourceOption('blank', canBlank)}
          {sourceOption('claim', canClaim)}
        </fieldset>
        <div>
          <label htmlFor="add-disk-name" className="mb-1 block text-sm font-medium">
            {t('disks.add.name')}
          </label>
          <input {...described('name', true)} data-testid="add-disk-name" className={`${inputClass} font-mono`} value={name} onChange={(e) => setName(e.target.value.trim())} autoComplete="off" />
          <p id="add-disk-name-hint" className="mt-1 text-xs text-slate-600">
            {t('disks.add.nameHint')}
          </p>
          {error('name')}
        </div>
        {source === 'blank' ? (
          <>
            <div>
              <label htmlFor="add-disk-size" className="mb-1 block text-sm font-medium">
                {t('disks.add.size')}
              </label>
              <input {...described('size', true)} data-testid="add-disk-size" className={`${inputClass} font-mono`} value={size} onChange={(e) => setSize(e.target.value.trim())} autoComplete="off" />
              <p id="add-disk-size-hint" className="mt-1 text-xs text-slate-600">
                {interpolate(t('disks.add.sizeHint'), sizeExamples)}
              </p>
              {error('size')}
            </div>
            <div>
              <label htmlFor="add-disk-class" className="mb-1 block text-sm font-medium">
                {t('create.storage.class')}
              </label>
              <select id="add-disk-class" data-testid="add-disk-class" className={inputClass} value={storageClass} onChange={(e) => setStorageClass(e.target.value)}>
                <option value="">{defaultClass ? t('create.storage.clusterDefaultIs', { name: defaultClass.name }) : t('create.storage.clusterDefault')}</option>
                {(classes ?? []).map((c) => (
                  <option key={c.name} value={c.name} translate="no">
                    {c.name}
                  </option>
                ))}
              </select>
              {chosenClass ? (
                <p className="mt-1 text-xs text-slate-600" data-testid="add-disk-class-facts">
                  {t(chosenClass.expansion ? 'disks.add.classExpands' : 'disks.add.classNoExpansion')}
                </p>
              ) : null}
            </div>
            <div className="grid grid-cols-2 gap-3">
              <div>
                <label htmlFor="add-disk-access" className="mb-1 block text-sm font-medium">
                  {t('create.storage.accessMode')}
                </label>
                <select id="add-disk-access" data-testid="add-disk-access" className={inputClass} value={accessMode} onChange={(e) => setAccessMode(e.target.value)}>
                  <option value="">{t('create.storage.fromProfile')}</option>
                  {access.map((m) => (
                    <option key={m} value={m} translate="no">
                      {m}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="add-disk-volume-mode" className="mb-1 block text-sm font-medium">
                  {t('create.storage.volumeMode')}
                </label>
                <select id="add-disk-volume-mode" data-testid="add-disk-volume-mode" className={inputClass} value={volumeMode} onChange={(e) => setVolumeMode(e.target.value)}>
                  <option value="">{t('create.storage.fromProfile')}</option>
                  {volume.map((m) => (
                    <option key={m} value={m} translate="no">
                      {m}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </>
        ) : (
          <div>
            <label htmlFor="add-disk-claim" className="mb-1 block text-sm font-medium">
              {t('disks.add.claimPick')}
            </label>
            {claims === undefined ? (
              <p className="text-sm text-slate-600">{t('disks.add.claimsUnknown')}</p>
            ) : claims.length === 0 ? (
              <p className="text-sm text-slate-600" data-testid="add-disk-no-claims">
                {t('disks.add.noClaims')}
              </p>
            ) : (
              <select {...described('claim')} data-testid="add-disk-claim" className={inputClass} value={claim} onChange={(e) => setClaim(e.target.value)}>
                <option value="">{t('disks.add.claimChoose')}</option>
                {claims.map((c) => {
                  const n = c.metadata?.name ?? '';
                  const facts = [sizeText(c.status?.capacity?.storage ?? c.spec?.resources?.requests?.storage), c.spec?.storageClassName, c.spec?.volumeMode].filter(Boolean).join(', ');
                  return (
                    <option key={n} value={n} translate="no">
                      {facts ? `${n} (${facts})` : n}
                    </option>
                  );
                })}
              </select>
            )}
            {error('claim')}
          </div>
        )}
        <p className="text-xs text-slate-600">{interpolate(t('disks.add.bus'), { bus: <Data className="font-mono">{HOTPLUG_BUS}</Data> })}</p>
        {failure ? (
          <div role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900" data-testid="add-disk-failed">
            <p className="font-medium">{interpolate(t('disks.add.failed'), { disk: <Data>{name}</Data> })}</p>
            <p>
              <ErrorText error={failure} t={t} />
            </p>
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5 text-sm" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="add-disk-submit" disabled={busy || (tried && !canSubmit)} className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40">
            {busy ? t('disks.add.adding') : t('disks.add.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
