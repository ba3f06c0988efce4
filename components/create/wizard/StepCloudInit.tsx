'use client';
import { useDeferredValue, useMemo, useState } from 'react';
import { useFormState, useWatch } from 'react-hook-form';
import { useT } from '../../i18n/I18nProvider';
import { buttonClass, errorId, FieldError, Hint, hintId, inputClass, ProblemMessage, TextField, useDescribed } from './fields';
import { useCreateForm } from './form-context';
import { flattenErrors, errorsUnder } from './errors';
import { sshKeyLines } from './form-values';
import { fieldId } from './steps';
import { Data } from '@/lib/i18n/interpolate';
import { parseSshPublicKey } from '@/lib/kubevirt/create/ssh-keys';
import { checkUserData } from '@/lib/kubevirt/create/user-data';

// Step 5: what cloud-init puts in the guest. SSH keys are one per line, each checked as it is typed and a bad one
// named by its line; user-data is checked as #cloud-config with line numbers; network data is offered only when
// the VM has a secondary network (it configures those).
export function StepCloudInit() {
  const t = useT();
  const { control, setValue, register, formState } = useCreateForm();
  const keys = useWatch({ control, name: 'cloudInit.sshKeys' }) ?? [];
  const userData = useWatch({ control, name: 'cloudInit.userData' }) ?? '';
  const networks = useWatch({ control, name: 'networks' }) ?? [];
  const secondary = networks.some((n) => n?.source?.kind === 'multus');
  const [showPassword, setShowPassword] = useState(false);

  // The textarea's own text (blank lines and all); the form holds the keys.
  const [keyText, setKeyText] = useState(() => keys.join('\n'));
  const parsed = useMemo(() => sshKeyLines(keyText), [keyText]);
  const deferredKeys = useDeferredValue(parsed);
  const keyResults = useMemo(() => deferredKeys.keys.map((k) => parseSshPublicKey(k)), [deferredKeys]);
  const { errors } = useFormState({ control, name: 'cloudInit' });
  const keyErrors = errorsUnder(flattenErrors(errors.cloudInit, 'cloudInit'), 'cloudInit.sshKeys');
  const keyLine = (path: string) => {
    const i = Number(path.split('.')[2]);
    return Number.isInteger(i) ? parsed.lines[i] : undefined;
  };
  const badLines = keyResults.flatMap((r, i) => (r.ok ? [] : [{ line: deferredKeys.lines[i]!, reason: r.reason }]));
  // The form's own errors for keys (from Next or the server) that the live check does not already show.
  const otherKeyErrors = keyErrors.filter((e) => !badLines.some((b) => b.line === keyLine(e.path)));
  const keysInvalid = badLines.length > 0 || keyErrors.length > 0;

  const deferredUserData = useDeferredValue(userData);
  const udCheck = useMemo(() => (deferredUserData.trim() ? checkUserData(deferredUserData) : undefined), [deferredUserData]);
  const udProblems = udCheck && !udCheck.ok ? udCheck.problems : [];
  const udDescribed = useDescribed('cloudInit.userData', true, udProblems.length ? 'create-userdata-problems' : undefined);

  return (
    <div className="flex max-w-3xl flex-col gap-5">
      <div>
        <label htmlFor={fieldId('cloudInit.sshKeys')} className="mb-1 block text-sm font-medium text-slate-800">
          {t('create.cloudInit.sshKeys')}
        </label>
        <textarea
          id={fieldId('cloudInit.sshKeys')}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          translate="no"
          data-testid="create-ssh-keys"
          aria-invalid={keysInvalid}
          aria-describedby={[hintId('cloudInit.sshKeys'), keysInvalid ? errorId('cloudInit.sshKeys') : ''].filter(Boolean).join(' ')}
          className={`${inputClass} font-mono text-xs`}
          value={keyText}
          onChange={(e) => {
            setKeyText(e.target.value);
            setValue('cloudInit.sshKeys', sshKeyLines(e.target.value).keys, { shouldDirty: true, shouldValidate: formState.isSubmitted || keyErrors.length > 0 });
          }}
        />
        <Hint path="cloudInit.sshKeys">{t('create.cloudInit.sshKeysHint')}</Hint>
        <div id={errorId('cloudInit.sshKeys')} aria-live="polite">
          {keysInvalid ? (
            <ul className="mt-1 text-sm text-red-700" data-testid="ssh-key-problems">
              {badLines.map((b) => (
                <li key={b.line}>
                  {t('create.cloudInit.line', { line: b.line })} <ProblemMessage message={b.reason} />
                </li>
              ))}
              {otherKeyErrors.map((e) => {
                const line = keyLine(e.path);
                return (
                  <li key={e.path}>
                    {line !== undefined ? `${t('create.cloudInit.line', { line })} ` : null}
                    <ProblemMessage message={e.message} />
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>
        {keyResults.length && !badLines.length ? (
          <ul className="mt-1 text-xs text-slate-600" data-testid="ssh-key-summary">
            {keyResults.map((r, i) =>
              r.ok ? (
                <li key={i}>
                  {t('create.cloudInit.line', { line: deferredKeys.lines[i]! })}{' '}
                  <Data>
                    {r.type}
                    {r.bits ? ` ${r.bits}` : ''}
                    {r.comment ? ` ${r.comment}` : ''}
                  </Data>
                </li>
              ) : null,
            )}
          </ul>
        ) : null}
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <TextField path="cloudInit.user" optional label={t('create.cloudInit.user')} hint={t('create.cloudInit.userHint')} autoComplete="off" spellCheck={false} translate="no" data-testid="create-user" />
        <div>
          <label htmlFor={fieldId('cloudInit.password')} className="mb-1 block text-sm font-medium text-slate-800">
            {t('create.cloudInit.password')}
          </label>
          <div className="flex gap-2">
            <PasswordInput show={showPassword} />
            <button type="button" className={buttonClass} aria-pressed={showPassword} aria-controls={fieldId('cloudInit.password')} onClick={() => setShowPassword((s) => !s)}>
              {t('create.cloudInit.showPassword')}
            </button>
          </div>
          <Hint path="cloudInit.password">{t('create.cloudInit.passwordHint')}</Hint>
          <FieldError path="cloudInit.password" />
        </div>
      </div>

      <div>
        <label htmlFor={fieldId('cloudInit.userData')} className="mb-1 block text-sm font-medium text-slate-800">
          {t('create.cloudInit.userData')}
        </label>
        <textarea
          {...udDescribed}
          aria-invalid={udDescribed['aria-invalid'] || udProblems.length > 0}
          rows={10}
          spellCheck={false}
          translate="no"
          data-testid="create-user-data"
          placeholder={'#cloud-config\npackages:\n  - nginx'}
          className={`${inputClass} font-mono text-xs`}
          {...register('cloudInit.userData', { setValueAs: (v: unknown) => (v === '' ? undefined : v) })}
        />
        <Hint path="cloudInit.userData">{t('create.cloudInit.userDataHint')}</Hint>
        {udProblems.length ? (
          <ul id="create-userdata-problems" className="mt-1 text-sm text-red-700" aria-live="polite" data-testid="user-data-problems">
            {udProblems.map((p, i) => (
              <li key={i}>
                {p.line !== undefined ? `${t('create.cloudInit.line', { line: p.line })} ` : null}
                <ProblemMessage message={p.message} />
              </li>
            ))}
          </ul>
        ) : (
          <FieldError path="cloudInit.userData" />
        )}
      </div>

      {secondary ? (
        <NetworkDataField />
      ) : (
        <p className="text-sm text-slate-600" data-testid="create-network-data-later">
          {t('create.cloudInit.networkDataLater')}
        </p>
      )}
    </div>
  );
}

function NetworkDataField() {
  const t = useT();
  const { register } = useCreateForm();
  const described = useDescribed('cloudInit.networkData', true);
  return (
    <div>
      <label htmlFor={fieldId('cloudInit.networkData')} className="mb-1 block text-sm font-medium text-slate-800">
        {t('create.cloudInit.networkData')}
      </label>
      <textarea
        {...described}
        rows={6}
        spellCheck={false}
        translate="no"
        data-testid="create-network-data"
        className={`${inputClass} font-mono text-xs`}
        {...register('cloudInit.networkData', { setValueAs: (v: unknown) => (v === '' ? undefined : v) })}
      />
      <Hint path="cloudInit.networkData">{t('create.cloudInit.networkDataHint')}</Hint>
      <FieldError path="cloudInit.networkData" />
    </div>
  );
}

function PasswordInput({ show }: { show: boolean }) {
  const { register } = useCreateForm();
  const described = useDescribed('cloudInit.password', true);
  return (
    <input
      {...described}
      type={show ? 'text' : 'password'}
      autoComplete="new-password"
      data-testid="create-password"
      className={inputClass}
      {...register('cloudInit.password', { setValueAs: (v: unknown) => (v === '' ? undefined : v) })}
    />
  );
}
