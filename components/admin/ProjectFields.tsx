'use client';
import { useEffect, useState } from 'react';
import { useController, useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { useT } from '../i18n/I18nProvider';
import { buttonClass, inputClass, Note, RadioCard } from '../create/wizard/fields';
import { CheckBox, FieldError, fieldId, Hint, TextInput, useDescribed } from './fields';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { LIMIT_FIELDS, POD_SECURITY_LEVELS, PROJECT_ROLES, QUOTA_FIELDS, refusesVms, SUBJECT_KINDS, type PodSecurityLevel } from '@/lib/admin/project-form';
import { MIGRATE_CLUSTER_ROLE, ROLE_CLUSTER_ROLES } from '@/lib/admin/project-manifests';
import type { MessageKey } from '@/lib/i18n/locales';

// The fields of each part of a project, shared by the create form and the project page's edit sections (both hold
// the part under the same path).

const ROLE_KEYS: Record<(typeof PROJECT_ROLES)[number], MessageKey> = { admin: 'admin.role.admin', edit: 'admin.role.edit', view: 'admin.role.view' };

function RoleHint({ index }: { index: number }) {
  const t = useT();
  const role = useWatch({ name: `members.${index}.role` }) as (typeof PROJECT_ROLES)[number] | undefined;
  const roles = ROLE_CLUSTER_ROLES[role ?? 'edit'] ?? ROLE_CLUSTER_ROLES.edit;
  return <Hint path={`members.${index}.role`}>{interpolate(t('admin.members.roleHint'), { roles: <Data className="font-mono">{roles.join(' + ')}</Data> })}</Hint>;
}

export function MembersFields() {
  const t = useT();
  const { control, register } = useFormContext();
  const { fields, append, remove } = useFieldArray({ control, name: 'members' });
  return (
    <div className="flex flex-col gap-3" data-testid="members-fields">
      <p className="text-sm text-slate-600">{interpolate(t('admin.members.intro'), { migrate: <Data className="font-mono">{MIGRATE_CLUSTER_ROLE}</Data> })}</p>
      {fields.length === 0 ? <p className="text-sm text-slate-500" data-testid="members-empty">{t('admin.members.none')}</p> : null}
      <ol className="flex flex-col gap-3">
        {fields.map((f, i) => {
          const kindPath = `members.${i}.kind`;
          return (
            <li key={f.id} className="grid grid-cols-1 items-start gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[8rem_1fr_10rem_auto_auto]" data-testid={`member-${i}`}>
              <div>
                <label htmlFor={fieldId(kindPath)} className="mb-1 block text-sm font-medium text-slate-800">
                  {t('admin.members.kind')}
                </label>
                <select {...register(kindPath)} id={fieldId(kindPath)} data-testid={fieldId(kindPath)} className={inputClass}>
                  {SUBJECT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(k === 'User' ? 'admin.kind.user' : 'admin.kind.group')}
                    </option>
                  ))}
                </select>
              </div>
              <TextInput path={`members.${i}.name`} label={t('admin.members.name')} autoComplete="off" spellCheck={false} />
              <RoleSelect index={i} />
              <div className="pt-6">
                <CheckBox path={`members.${i}.migrate`} label={t('admin.members.migrate')} />
              </div>
              <div className="pt-6">
                <button type="button" className={buttonClass} onClick={() => remove(i)} data-testid={`member-${i}-remove`} aria-label={t('admin.members.removeNumber', { n: i + 1 })}>
                  {t('admin.members.remove')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div>
        <button type="button" className={buttonClass} onClick={() => append({ kind: 'User', name: '', role: 'edit', migrate: false })} data-testid="add-member">
          {t('admin.members.add')}
        </button>
      </div>
      <FieldError path="members" />
    </div>
  );
}

function RoleSelect({ index }: { index: number }) {
  const t = useT();
  const { register } = useFormContext();
  const path = `members.${index}.role`;
  const described = useDescribed(path, true);
  return (
    <div>
      <label htmlFor={fieldId(path)} className="mb-1 block text-sm font-medium text-slate-800">
        {t('admin.members.role')}
      </label>
      <select {...described} {...register(path)} className={inputClass}>
        {PROJECT_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(ROLE_KEYS[r])}
          </option>
        ))}
      </select>
      <RoleHint index={index} />
    </div>
  );
}

const QUOTA_LABELS: Record<(typeof QUOTA_FIELDS)[number]['key'], MessageKey> = {
  requestsCpu: 'admin.quota.requestsCpu',
  requestsMemory: 'admin.quota.requestsMemory',
  limitsCpu: 'admin.quota.limitsCpu',
  limitsMemory: 'admin.quota.limitsMemory',
  requestsStorage: 'admin.quota.requestsStorage',
  persistentVolumeClaims: 'admin.quota.persistentVolumeClaims',
  virtualMachines: 'admin.quota.virtualMachines',
};

export function QuotaFields() {
  const t = useT();
  return (
    <div className="flex flex-col gap-3" data-testid="quota-fields">
      <p className="text-sm text-slate-600">{t('admin.quota.intro')}</p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {QUOTA_FIELDS.map((f) => (
          <TextInput
            key={f.key}
            path={`quota.${f.key}`}
            kind={f.unit === 'count' ? 'count' : 'optional'}
            label={t(QUOTA_LABELS[f.key])}
            hint={<Data className="font-mono">{f.resource}</Data>}
            placeholder={t('admin.quota.unlimited')}
            spellCheck={false}
          />
        ))}
      </div>
    </div>
  );
}

const LIMIT_LABELS: Record<(typeof LIMIT_FIELDS)[number]['key'], MessageKey> = {
  defaultRequestCpu: 'admin.limits.defaultRequestCpu',
  defaultRequestMemory: 'admin.limits.defaultRequestMemory',
  defaultCpu: 'admin.limits.defaultCpu',
  defaultMemory: 'admin.limits.defaultMemory',
};

export function LimitsFields() {
  const t = useT();
  return (
    <div className="flex flex-col gap-3" data-testid="limits-fields">
      <p className="text-sm text-slate-600">{t('admin.limits.intro')}</p>
      <Note tone="warning">{t('admin.limits.vmHint')}</Note>
      <div className="grid gap-3 sm:grid-cols-2">
        {LIMIT_FIELDS.map((f) => (
          <TextInput key={f.key} path={`limits.${f.key}`} kind="optional" label={t(LIMIT_LABELS[f.key])} placeholder={t('admin.limits.none')} spellCheck={false} />
        ))}
      </div>
    </div>
  );
}

const PSS_KEYS: Record<PodSecurityLevel, { title: MessageKey; body: MessageKey }> = {
  privileged: { title: 'admin.pss.privileged', body: 'admin.pss.privilegedBody' },
  baseline: { title: 'admin.pss.baseline', body: 'admin.pss.baselineBody' },
  restricted: { title: 'admin.pss.restricted', body: 'admin.pss.restrictedBody' },
};

export function PodSecurityField() {
  const t = useT();
  const { field } = useController({ name: 'podSecurity' });
  const level = (field.value as PodSecurityLevel | undefined) ?? 'privileged';
  const warn = refusesVms(level);
  return (
    <div className="flex flex-col gap-3" data-testid="pss-fields">
      <p className="text-sm text-slate-600">{interpolate(t('admin.pss.intro'), { label: <Data className="font-mono">pod-security.kubernetes.io/enforce</Data> })}</p>
      <div role="radiogroup" aria-label={t('admin.section.podSecurity')} className="grid gap-2 sm:grid-cols-3">
        {POD_SECURITY_LEVELS.map((l) => (
          <RadioCard key={l} name={`${field.name}-level`} value={l} checked={level === l} onSelect={() => field.onChange(l)} title={t(PSS_KEYS[l].title)} testId={`pss-${l}`} describedBy={warn ? 'pss-warning' : undefined}>
            {t(PSS_KEYS[l].body)}
          </RadioCard>
        ))}
      </div>
      <div aria-live="polite">
        {warn ? (
          <div id="pss-warning" role="alert" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950" data-testid="pss-warning">
            <p className="font-semibold">{t('admin.pss.warningTitle')}</p>
            <p>{interpolate(t('admin.pss.warning'), { level: <Data className="font-mono">{level}</Data>, type: <Data className="font-mono">virt_launcher.process</Data> })}</p>
          </div>
        ) : null}
      </div>
    </div>
  );
}

// Namespaces typed as a list (commas or spaces); the form holds the list.
function AllowFromInput() {
  const t = useT();
  const { field } = useController({ name: 'network.allowFrom' });
  const list = (field.value as string[] | undefined) ?? [];
  const [text, setText] = useState(list.join(', '));
  // A reset of the form (after a save) shows the list it holds now.
  useEffect(() => {
    setText((current) => (sameList(parseList(current), list) ? current : list.join(', ')));
  }, [list]);
  const described = useDescribed('network.allowFrom', true);
  return (
    <div>
      <label htmlFor={fieldId('network.allowFrom')} className="mb-1 block text-sm font-medium text-slate-800">
        {t('admin.network.allowFrom')}
      </label>
      <input
        {...described}
        ref={field.ref}
        name={field.name}
        value={text}
        onBlur={field.onBlur}
        onChange={(e) => {
          setText(e.target.value);
          field.onChange(parseList(e.target.value));
        }}
        className={inputClass}
        spellCheck={false}
        autoComplete="off"
      />
      <Hint path="network.allowFrom">{t('admin.network.allowFromHint')}</Hint>
      <FieldError path="network.allowFrom" />
    </div>
  );
}

const parseList = (s: string) => s.split(/[\s,]+/).filter(Boolean);
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function NetworkFields() {
  const t = useT();
  return (
    <div className="flex flex-col gap-3" data-testid="network-fields">
      <p className="text-sm text-slate-600">{t('admin.network.intro')}</p>
      <CheckBox path="network.isolate" label={t('admin.network.isolate')} hint={t('admin.network.isolateHint')} />
      <AllowFromInput />
      <CheckBox path="network.allowDnsEgress" label={t('admin.network.dns')} hint={t('admin.network.dnsHint')} />
    </div>
  );
}
