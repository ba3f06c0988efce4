'use client';
import { useT } from '../i18n/I18nProvider';
import { Data } from '@/lib/i18n/interpolate';
import { refusesVms, type PodSecurityLevel } from '@/lib/admin/project-form';
import { roleSummary, type MemberView, type PolicyView } from '@/lib/admin/projects';
import type { MessageKey } from '@/lib/i18n/locales';

// Small views shared by the projects list and a project's page.

const LEVELS = new Set(['privileged', 'baseline', 'restricted']);

export function PodSecurityBadge({ level }: { level: string | undefined }) {
  const t = useT();
  if (!level) return <span className="text-sm text-slate-500">{t('admin.pss.unset')}</span>;
  const strict = LEVELS.has(level) && refusesVms(level as PodSecurityLevel);
  return (
    <span className="flex flex-col gap-0.5" data-testid="pss-level" data-level={level}>
      <Data className="font-mono text-xs">{level}</Data>
      {strict ? (
        <span className="text-xs text-amber-900">
          <span aria-hidden>⚠ </span>
          {t('admin.pss.refusesVmsShort')}
        </span>
      ) : null}
    </span>
  );
}

const ROLE_KEYS: Record<'admin' | 'edit' | 'view', MessageKey> = { admin: 'admin.role.admin', edit: 'admin.role.edit', view: 'admin.role.view' };

export function RoleList({ members }: { members: MemberView[] }) {
  const t = useT();
  if (!members.length) return <span className="text-sm text-slate-500">{t('admin.members.noneBound')}</span>;
  return (
    <ul className="flex flex-col gap-0.5 text-xs" data-testid="members">
      {members.map((m) => {
        const s = roleSummary(m.roles);
        return (
          <li key={`${m.kind}/${m.namespace ?? ''}/${m.name}`} data-testid="member" data-member={`${m.kind}/${m.name}`} data-role={s.role ?? ''}>
            <span className="text-slate-500">{t(m.kind === 'User' ? 'admin.kind.user' : m.kind === 'Group' ? 'admin.kind.group' : 'admin.kind.other')} </span>
            <Data className="font-medium">{m.namespace ? `${m.namespace}/${m.name}` : m.name}</Data>
            {': '}
            {[s.role ? t(ROLE_KEYS[s.role]) : '', s.migrate ? t('admin.role.migrate') : ''].filter(Boolean).join(', ')}
            {s.other.length ? (
              <>
                {s.role || s.migrate ? ', ' : ''}
                <Data className="font-mono">{s.other.join(', ')}</Data>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

const PRESET_KEYS: Record<NonNullable<PolicyView['preset']>, MessageKey> = {
  isolate: 'admin.policy.isolate',
  allowFrom: 'admin.policy.allowFrom',
  dnsEgress: 'admin.policy.dnsEgress',
};

export function PolicyList({ policies }: { policies: PolicyView[] }) {
  const t = useT();
  if (!policies.length) return <span className="text-sm text-slate-500">{t('admin.policy.none')}</span>;
  return (
    <ul className="flex flex-col gap-0.5 text-xs" data-testid="policies">
      {policies.map((p) => (
        <li key={p.name} data-testid="policy" data-policy={p.name}>
          {p.preset ? t(PRESET_KEYS[p.preset]) : <Data className="font-mono">{p.name}</Data>}
        </li>
      ))}
    </ul>
  );
}
