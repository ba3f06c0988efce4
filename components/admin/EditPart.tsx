'use client';
import { useMemo, type ReactNode } from 'react';
import { FormProvider, useForm, useWatch, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useT } from '../i18n/I18nProvider';
import { useToast } from '../ui/Toaster';
import { primaryButtonClass } from '../create/wizard/fields';
import { AdminError } from './AdminError';
import { adminIssueMessage } from './fields';
import { ManifestsView } from './ManifestsView';
import { adminKeys } from './use-admin';
import { apiFetch } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { partForms, type ProjectPart } from '@/lib/admin/project-form';
import { partObjects, projectYaml, PSS_ENFORCE, type PartValue } from '@/lib/admin/project-manifests';
import type { PodSecurityLevel } from '@/lib/admin/project-form';

type Values = Record<string, unknown>;

// What saving a part applies: the portal's objects of the part as they will be (none: they are deleted), or for the
// Pod Security level the namespace's label.
function previewOf(namespace: string, part: ProjectPart, v: Values): string {
  if (part === 'podSecurity') return projectYaml([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [PSS_ENFORCE]: v.podSecurity as PodSecurityLevel } } }]);
  return projectYaml(partObjects(namespace, { part, ...v } as PartValue));
}

// One part of a project, edited on its own: its fields, the manifests saving will apply, and Save (a PATCH of just
// this part; the server dry-runs it first and undoes a change refused part-way).
export function EditPart({ namespace, part, initial, title, children }: { namespace: string; part: ProjectPart; initial: Values; title: string; children: ReactNode }) {
  const t = useT();
  const toast = useToast();
  const qc = useQueryClient();
  const schema = partForms[part];
  const methods = useForm<Values>({
    resolver: zodResolver(schema, { error: adminIssueMessage }) as unknown as Resolver<Values>,
    defaultValues: initial,
    mode: 'onTouched',
  });
  const values = useWatch({ control: methods.control });
  const preview = useMemo(() => {
    const parsed = schema.safeParse(values);
    return parsed.success ? previewOf(namespace, part, parsed.data as Values) : undefined;
  }, [schema, values, namespace, part]);
  const save = useMutation({
    mutationFn: (v: Values) => apiFetch<unknown>(apiPaths.adminProject(namespace), { method: 'PATCH', body: { part, ...v } }),
    onSuccess: (_r, v) => {
      // The form now holds what the cluster holds; the page's read of the project follows.
      methods.reset(v);
      void qc.invalidateQueries({ queryKey: adminKeys.project(namespace) });
      void qc.invalidateQueries({ queryKey: adminKeys.projects });
      toast({ tone: 'success', title: t('admin.edit.saved', { part: title }) });
    },
  });
  const headingId = `edit-${part}-title`;
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4" data-testid={`edit-${part}`}>
      <h2 id={headingId} className="font-semibold">
        {title}
      </h2>
      <FormProvider {...methods}>
        <form noValidate onSubmit={methods.handleSubmit((v) => save.mutate(v))} className="flex flex-col gap-3">
          {children}
          <details className="text-sm">
            <summary className="cursor-pointer text-sky-700" data-testid={`preview-${part}`}>
              {t('admin.edit.preview')}
            </summary>
            <div className="mt-2">
              {preview === '' ? <p className="text-slate-600">{t('admin.edit.previewNone')}</p> : <ManifestsView yaml={preview} fileName={`${namespace}-${part}.yaml`} testId={`manifests-${part}`} label={title} />}
            </div>
          </details>
          {save.error ? <AdminError error={save.error} testId={`error-${part}`} /> : null}
          <div className="flex items-center gap-3">
            <button type="submit" className={primaryButtonClass} disabled={save.isPending} data-testid={`save-${part}`}>
              {save.isPending ? t('admin.edit.saving') : t('admin.edit.save')}
            </button>
            <span role="status" className="text-sm text-emerald-800" data-testid={`saved-${part}`}>
              {save.isSuccess && !methods.formState.isDirty ? t('admin.edit.savedShort') : ''}
            </span>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}
