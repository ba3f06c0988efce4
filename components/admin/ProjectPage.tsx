'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { buttonClass } from '../create/wizard/fields';
import { Section } from '../vms/DefinitionList';
import { ErrorPanel } from '../vms/ErrorPanel';
import { AdminNotAllowed } from './AdminNotAllowed';
import { DeleteProgress, DeleteProjectDialog } from './DeleteProject';
import { EditPart } from './EditPart';
import { ManifestsView } from './ManifestsView';
import { PodSecurityBadge, PolicyList } from './ProjectBits';
import { LimitsFields, MembersFields, NetworkFields, PodSecurityField, QuotaFields } from './ProjectFields';
import { UsageBars } from './UsageBars';
import { useProject } from './use-admin';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { ApiError } from '@/lib/live/api-client';
import { projectYaml, type KubeObject } from '@/lib/admin/project-manifests';
import type { ProjectDetail } from '@/lib/admin/projects';

// One project: usage against quota, who is bound to what, and an editor for each part (members, quota, limits, Pod
// Security level, network policies); its current manifests to download; and deletion with a typed confirmation.
export function ProjectPage({ namespace }: { namespace: string }) {
  const { t } = useI18n();
  const [deleting, setDeleting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const q = useProject(namespace, { enabled: !deleting });

  if (deleting) return <DeleteProgress namespace={namespace} />;
  if (q.error instanceof ApiError && q.error.status === 403) {
    const d = q.error.body.details ?? {};
    return <AdminNotAllowed denied={typeof d.verb === 'string' ? { verb: d.verb, resource: String(d.resource ?? '') } : undefined} />;
  }
  if (q.error instanceof ApiError && q.error.status === 404) {
    return (
      <div className="p-8 text-center" data-testid="project-not-found">
        <p className="mb-2">{interpolate(t('admin.project.notFound'), { name: <Data>{namespace}</Data> })}</p>
        <Link href="/admin/projects" className="text-sky-700 hover:underline">
          {t('admin.back')}
        </Link>
      </div>
    );
  }
  if (q.error) return <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <p className="p-4 text-slate-600">{t('common.loading')}</p>;
  const p = q.data;
  const terminating = p.phase === 'Terminating';
  return (
    <div className="flex flex-col gap-4 p-4" data-testid="project-page" data-name={p.name} data-phase={p.phase}>
      <div>
        <Link href="/admin/projects" className="text-sm text-sky-700 hover:underline">
          {t('admin.back')}
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold" translate="no" data-testid="project-title">
            {p.name}
          </h1>
          {terminating ? (
            <span className="rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900" data-testid="project-phase">
              {t('admin.phase.terminating')}
            </span>
          ) : null}
          <button type="button" className="ml-auto rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50 disabled:opacity-50" onClick={() => setConfirming(true)} disabled={terminating} data-testid="project-delete">
            {t('admin.delete.button')}
          </button>
        </div>
      </div>
      {terminating ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          {t('admin.project.terminating')}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title={t('admin.project.usage')}>
          <UsageBars quotas={p.quotas} />
        </Section>
        <Overview project={p} />
      </div>
      <Bindings project={p} />
      {terminating ? null : <Editors project={p} />}
      <section aria-labelledby="project-current-title" className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-4">
        <h2 id="project-current-title" className="font-semibold">
          {t('admin.project.manifests')}
        </h2>
        <p className="text-sm text-slate-600">{t('admin.project.manifestsIntro')}</p>
        <ManifestsView yaml={projectYaml(p.manifests as KubeObject[])} fileName={`${p.name}.yaml`} testId="project-current-manifests" label={t('admin.project.manifests')} />
      </section>
      <DeleteProjectDialog
        key={String(confirming)}
        project={p}
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          setDeleting(true);
        }}
      />
    </div>
  );
}

function Overview({ project: p }: { project: ProjectDetail }) {
  const { t, locale } = useI18n();
  return (
    <Section title={t('admin.project.overview')}>
      <dl className="grid grid-cols-[10rem_1fr] gap-2 text-sm">
        <dt className="text-slate-500">{t('admin.col.created')}</dt>
        <dd>{formatTimestamp(p.created, locale)}</dd>
        <dt className="text-slate-500">{t('admin.col.podSecurity')}</dt>
        <dd>
          <PodSecurityBadge level={p.podSecurity} />
        </dd>
        <dt className="text-slate-500">{t('admin.col.policies')}</dt>
        <dd>
          <PolicyList policies={p.policies} />
        </dd>
        <dt className="text-slate-500">{t('admin.project.limitRanges')}</dt>
        <dd>{p.limitRanges.length ? <Data className="font-mono text-xs">{p.limitRanges.join(', ')}</Data> : <span className="text-slate-500">{t('common.none')}</span>}</dd>
        <dt className="text-slate-500">{t('admin.project.contents')}</dt>
        <dd>{t('admin.project.contentsCount', { vms: p.contents.vms.length, claims: p.contents.claims.length })}</dd>
      </dl>
    </Section>
  );
}

function Bindings({ project: p }: { project: ProjectDetail }) {
  const { t } = useI18n();
  return (
    <Section title={t('admin.project.bindings')}>
      {p.bindings.length ? (
        <table className="w-full text-left text-sm" data-testid="bindings">
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="py-1 pr-3 font-medium">{t('admin.binding.name')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('admin.binding.role')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('admin.binding.subjects')}</th>
              <th scope="col" className="py-1 pr-3 font-medium">{t('admin.binding.managed')}</th>
            </tr>
          </thead>
          <tbody>
            {p.bindings.map((b) => (
              <tr key={b.name} className="border-b border-slate-100 align-top" data-testid="binding" data-name={b.name}>
                <td className="py-1 pr-3">
                  <Data className="font-mono text-xs">{b.name}</Data>
                </td>
                <td className="py-1 pr-3">
                  <Data className="font-mono text-xs">{`${b.roleKind}/${b.role}`}</Data>
                </td>
                <td className="py-1 pr-3">
                  <Data className="text-xs">{b.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ')}</Data>
                </td>
                <td className="py-1 pr-3">{b.managed ? t('admin.binding.byPortal') : t('admin.binding.byOthers')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-500">{t('admin.members.noneBound')}</p>
      )}
    </Section>
  );
}

function Editors({ project: p }: { project: ProjectDetail }) {
  const { t } = useI18n();
  const { parts } = p;
  const otherQuotas = p.quotas.filter((q) => q.name !== 'project-quota').map((q) => q.name);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">{t('admin.edit.intro')}</p>
      <EditPart namespace={p.name} part="members" initial={{ members: parts.members }} title={t('admin.section.members')}>
        <MembersFields />
      </EditPart>
      <EditPart namespace={p.name} part="quota" initial={{ quota: parts.quota }} title={t('admin.section.quota')}>
        {otherQuotas.length ? <p className="text-sm text-slate-600">{interpolate(t('admin.edit.otherQuotas'), { names: <Data className="font-mono">{otherQuotas.join(', ')}</Data> })}</p> : null}
        <QuotaFields />
      </EditPart>
      <EditPart namespace={p.name} part="limits" initial={{ limits: parts.limits }} title={t('admin.section.limits')}>
        <LimitsFields />
      </EditPart>
      <EditPart namespace={p.name} part="podSecurity" initial={{ podSecurity: parts.podSecurity ?? 'privileged' }} title={t('admin.section.podSecurity')}>
        <PodSecurityField />
      </EditPart>
      <EditPart namespace={p.name} part="network" initial={{ network: parts.network }} title={t('admin.section.network')}>
        <NetworkFields />
      </EditPart>
    </div>
  );
}
