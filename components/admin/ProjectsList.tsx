'use client';
import Link from 'next/link';
import { useI18n } from '../i18n/I18nProvider';
import { buttonClass, primaryButtonClass } from '../create/wizard/fields';
import { ErrorPanel } from '../vms/ErrorPanel';
import { PodSecurityBadge, PolicyList, RoleList } from './ProjectBits';
import { UsageBars } from './UsageBars';
import { useProjects } from './use-admin';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data } from '@/lib/i18n/interpolate';

// What the list has room for: VMs, CPU and memory requests, storage.
const AT_A_GLANCE = ['count/virtualmachines.kubevirt.io', 'requests.cpu', 'cpu', 'requests.memory', 'memory', 'requests.storage'] as const;

// Every project (team namespace) with its usage against quota, members and policies at a glance.
export function ProjectsList() {
  const { t, locale } = useI18n();
  const q = useProjects();
  const projects = q.data?.projects ?? [];
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-4" data-testid="projects-page">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{t('admin.projects.title')}</h1>
        {q.isSuccess ? (
          <span className="text-sm text-slate-600" data-testid="projects-count">
            {t('admin.projects.count', { count: projects.length })}
          </span>
        ) : null}
        <div className="ml-auto flex gap-2">
          <button type="button" className={buttonClass} onClick={() => void q.refetch()} disabled={q.isFetching} data-testid="projects-refresh">
            {q.isFetching ? t('common.loading') : t('admin.projects.refresh')}
          </button>
          <Link href="/admin/projects/new" className={primaryButtonClass} data-testid="project-new">
            {t('admin.projects.create')}
          </Link>
        </div>
      </div>
      <p className="text-sm text-slate-600">{t('admin.projects.intro')}</p>
      {q.error ? (
        <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <p className="p-4 text-slate-600">{t('common.loading')}</p>
      ) : projects.length === 0 ? (
        <p className="p-4 text-slate-600" data-testid="projects-empty">
          {t('admin.projects.none')}
        </p>
      ) : (
        <div className="overflow-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="projects-table">
            <caption className="sr-only">{t('admin.projects.title')}</caption>
            <thead className="sticky top-0 bg-white">
              <tr className="border-b border-slate-200 text-slate-500">
                <th scope="col" className="px-3 py-2 font-medium">{t('admin.col.name')}</th>
                <th scope="col" className="w-64 px-3 py-2 font-medium">{t('admin.col.usage')}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t('admin.col.members')}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t('admin.col.podSecurity')}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t('admin.col.policies')}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t('admin.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.name} className="border-b border-slate-100 align-top" data-testid="project-row" data-name={p.name} data-phase={p.phase}>
                  <td className="px-3 py-2">
                    <Link href={`/admin/projects/${encodeURIComponent(p.name)}`} className="font-medium text-sky-700 hover:underline" translate="no" data-testid="project-link">
                      {p.name}
                    </Link>
                    {p.phase !== 'Active' ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900" data-testid="project-phase">
                        {p.phase === 'Terminating' ? t('admin.phase.terminating') : <Data>{p.phase}</Data>}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <UsageBars quotas={p.quotas} only={AT_A_GLANCE} compact />
                  </td>
                  <td className="px-3 py-2">
                    <RoleList members={p.members} />
                  </td>
                  <td className="px-3 py-2">
                    <PodSecurityBadge level={p.podSecurity} />
                  </td>
                  <td className="px-3 py-2">
                    <PolicyList policies={p.policies} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatTimestamp(p.created, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
