'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useT } from '../i18n/I18nProvider';
import { useToast } from '../ui/Toaster';
import { primaryButtonClass } from '../create/wizard/fields';
import { AdminError } from './AdminError';
import { adminIssueMessage, Fieldset, TextInput } from './fields';
import { ManifestsView } from './ManifestsView';
import { LimitsFields, MembersFields, NetworkFields, PodSecurityField, QuotaFields } from './ProjectFields';
import { adminKeys } from './use-admin';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { emptyProjectForm, projectForm, type CreateProjectRequest, type ProjectForm, type ProjectFormInput } from '@/lib/admin/project-form';
import { buildProjectManifests, manifestList, projectYaml } from '@/lib/admin/project-manifests';

// A project from one form: name, members with roles, quota, limit defaults, Pod Security level and network policy
// presets. The exact manifests are shown (and can be copied or downloaded) before anything is applied; the server
// makes them whole or not at all.
export function CreateProjectForm() {
  const t = useT();
  const router = useRouter();
  const toast = useToast();
  const qc = useQueryClient();
  const alertRef = useRef<HTMLDivElement>(null);
  const methods = useForm<ProjectFormInput, unknown, ProjectForm>({
    resolver: zodResolver(projectForm, { error: adminIssueMessage }),
    defaultValues: emptyProjectForm(),
    mode: 'onTouched',
  });
  const values = useWatch({ control: methods.control }) as ProjectFormInput;
  const parsed = useMemo(() => projectForm.safeParse(values), [values]);
  const yaml = parsed.success ? projectYaml(manifestList(buildProjectManifests(parsed.data))) : undefined;

  const create = useMutation({
    mutationFn: (form: ProjectForm) => apiFetch<unknown>(apiPaths.adminProjects, { method: 'POST', body: { form } satisfies CreateProjectRequest }),
    onSuccess: (_r, form) => {
      void qc.invalidateQueries({ queryKey: adminKeys.projects });
      toast({ tone: 'success', title: interpolate(t('admin.create.done'), { name: <Data>{form.name}</Data> }) });
      router.push(`/admin/projects/${encodeURIComponent(form.name)}`);
    },
    onError: () => requestAnimationFrame(() => alertRef.current?.focus()),
  });

  return (
    <div className="flex flex-col gap-4 p-4" data-testid="project-create-page">
      <div>
        <Link href="/admin/projects" className="text-sm text-sky-700 hover:underline">
          {t('admin.back')}
        </Link>
        <h1 className="text-xl font-semibold">{t('admin.create.title')}</h1>
        <p className="text-sm text-slate-600">{t('admin.create.intro')}</p>
      </div>
      <FormProvider {...methods}>
        <form noValidate onSubmit={methods.handleSubmit((f) => create.mutate(f))} className="flex max-w-5xl flex-col gap-4" data-testid="project-form">
          <Fieldset legend={t('admin.section.name')}>
            <TextInput path="name" label={t('admin.create.name')} hint={t('admin.create.nameHint')} autoComplete="off" spellCheck={false} />
          </Fieldset>
          <Fieldset legend={t('admin.section.members')} testId="section-members">
            <MembersFields />
          </Fieldset>
          <Fieldset legend={t('admin.section.quota')} testId="section-quota">
            <QuotaFields />
          </Fieldset>
          <Fieldset legend={t('admin.section.limits')} testId="section-limits">
            <LimitsFields />
          </Fieldset>
          <Fieldset legend={t('admin.section.podSecurity')} testId="section-podSecurity">
            <PodSecurityField />
          </Fieldset>
          <Fieldset legend={t('admin.section.network')} testId="section-network">
            <NetworkFields />
          </Fieldset>
          <section aria-labelledby="project-manifests-title" className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-4">
            <h2 id="project-manifests-title" className="font-semibold">
              {t('admin.manifests.title')}
            </h2>
            <p className="text-sm text-slate-600">{t('admin.manifests.intro')}</p>
            <ManifestsView yaml={yaml} fileName={`${parsed.success ? parsed.data.name : 'project'}.yaml`} label={t('admin.manifests.title')} />
          </section>
          <div ref={alertRef} tabIndex={-1} className="outline-none">
            {create.error ? <AdminError error={create.error} testId="project-alert" /> : null}
          </div>
          <div className="flex items-center gap-3 border-t border-slate-200 pt-4">
            <button type="submit" className={primaryButtonClass} disabled={create.isPending || create.isSuccess} data-testid="project-create">
              {create.isPending || create.isSuccess ? t('admin.create.creating') : t('admin.create.submit')}
            </button>
          </div>
        </form>
      </FormProvider>
    </div>
  );
}
