import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { FormProvider, useForm, type FieldErrors } from 'react-hook-form';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { AdminNav } from './AdminNav';
import { AdminNotAllowed } from './AdminNotAllowed';
import { CreateProjectForm } from './CreateProjectForm';
import { DeleteProjectDialog } from './DeleteProject';
import { ProjectPage } from './ProjectPage';
import { LimitsFields, MembersFields, NetworkFields, PodSecurityField, QuotaFields } from './ProjectFields';
import { ProjectsList } from './ProjectsList';
import { SignInRedirect } from './SignInRedirect';
import { adminKeys } from './use-admin';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { emptyProjectForm, type ProjectFormInput } from '@/lib/admin/project-form';
import type { ProjectDetail, ProjectsResponse } from '@/lib/admin/projects';

// The admin area's views render (on the server, no browser) in both languages, say what matters, and never show a
// message key in place of a sentence.
vi.mock('next/navigation', () => ({ useRouter: () => ({ push: () => {} }), usePathname: () => '/admin/projects' }));

const project: ProjectDetail = {
  name: 'team-c',
  phase: 'Active',
  created: '2026-01-01T00:00:00Z',
  podSecurity: 'restricted',
  quotas: [{ name: 'project-quota', hard: { 'count/virtualmachines.kubevirt.io': '2', 'requests.cpu': '4' }, used: { 'count/virtualmachines.kubevirt.io': '2', 'requests.cpu': '500m' } }],
  members: [{ kind: 'User', name: 'dev-b', roles: ['kubevirt.io:edit', 'edit'], managed: true }],
  policies: [{ name: 'portal-isolate', managed: true, preset: 'isolate' }],
  limitRanges: [],
  parts: { members: [{ kind: 'User', name: 'dev-b', role: 'edit', migrate: false }], quota: { virtualMachines: 2, requestsCpu: '4' }, limits: {}, podSecurity: 'restricted', network: { isolate: true, allowFrom: [], allowDnsEgress: false } },
  bindings: [{ name: 'portal-edit', role: 'edit', roleKind: 'ClusterRole', subjects: [{ kind: 'User', name: 'dev-b' }], managed: true }],
  contents: { vms: [{ name: 'vm-1', status: 'Running' }], claims: [{ kind: 'PersistentVolumeClaim', name: 'vm-1-rootdisk', size: '1Gi' }] },
  manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c' } }],
};

function Harness({ locale, values, errors, children, seed }: { locale: Locale; values?: ProjectFormInput; errors?: FieldErrors<ProjectFormInput>; children: ReactNode; seed?: (qc: QueryClient) => void }) {
  const methods = useForm<ProjectFormInput>({ defaultValues: values ?? emptyProjectForm(), errors });
  const qc = new QueryClient();
  seed?.(qc);
  return (
    <I18nProvider locale={locale} messages={catalogues[locale]}>
      <QueryClientProvider client={qc}>
        <ToastProvider>
          <FormProvider {...methods}>{children}</FormProvider>
        </ToastProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

const full: ProjectFormInput = {
  ...emptyProjectForm(),
  name: 'team-c',
  members: [{ kind: 'Group', name: 'team-c', role: 'admin', migrate: true }],
  network: { isolate: true, allowFrom: ['monitoring'], allowDnsEgress: true },
};

const views: [string, ReactNode][] = [
  ['nav', <AdminNav key="nav" />],
  ['not allowed', <AdminNotAllowed key="na" denied={{ verb: 'create', resource: 'namespaces', reason: 'no RBAC policy matched' }} />],
  ['sign-in redirect', <SignInRedirect key="s" reason="no_session" />],
  ['members', <MembersFields key="m" />],
  ['quota', <QuotaFields key="q" />],
  ['limits', <LimitsFields key="l" />],
  ['pss', <PodSecurityField key="p" />],
  ['network', <NetworkFields key="n" />],
  ['create form', <CreateProjectForm key="c" />],
  ['delete dialog', <DeleteProjectDialog key="d" project={project} open onClose={() => {}} onConfirm={() => {}} />],
];

const render = (node: ReactNode, locale: Locale = 'en', values: ProjectFormInput = full, seed?: (qc: QueryClient) => void) =>
  renderToString(
    <Harness locale={locale} values={values} seed={seed}>
      {node}
    </Harness>,
  );

describe('admin views render', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    for (const [name, node] of views) {
      it(`${name} in ${locale}`, () => {
        const html = render(node, locale);
        expect(html.length).toBeGreaterThan(100);
        expect(html).not.toMatch(/admin\.[a-z]+\.[a-zA-Z]/);
      });
    }
  }

  it('the nav lists projects, shared networks and cluster, the current one marked', () => {
    const html = render(<AdminNav />);
    for (const href of ['/admin/projects', '/admin/networks', '/admin/cluster']) expect(html).toContain(`href="${href}"`);
    expect(html).toMatch(/aria-current="page"[^>]*data-testid="admin-nav-projects"/);
  });

  it('a level too strict for VMs is warned about in the form', () => {
    expect(render(<PodSecurityField />, 'en', { ...full, podSecurity: 'privileged' })).not.toContain('data-testid="pss-warning"');
    for (const level of ['baseline', 'restricted'] as const) {
      const html = render(<PodSecurityField />, 'en', { ...full, podSecurity: level });
      expect(html).toContain('data-testid="pss-warning"');
      expect(html).toContain('VMs will not start in this project');
      expect(html).toContain('virt_launcher.process');
    }
  });

  it('each member row has labelled controls; form errors are shown as sentences', () => {
    const errors = { members: { 0: { name: { type: 'custom', message: 'member.duplicate' } } }, quota: { virtualMachines: { type: 'custom', message: 'count.invalid' } } } as unknown as FieldErrors<ProjectFormInput>;
    const html = renderToString(
      <Harness locale="en" values={full} errors={errors}>
        <MembersFields />
        <QuotaFields />
      </Harness>,
    );
    expect(html).toContain('for="project-members-0-name"');
    expect(html).toContain('id="project-members-0-name"');
    expect(html).toContain('This member is listed twice.');
    expect(html).toContain('Enter a whole number, 0 or more.');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('kubevirt.io:admin + admin');
  });

  it('the create form shows the manifests it will apply once it is valid', () => {
    // The form's values come from its own defaults here: a blank name, so no manifests yet.
    expect(render(<CreateProjectForm />)).toContain('data-testid="project-manifests-later"');
  });

  it('the delete dialog lists VMs first, then claims, then the namespace, and waits for the typed name', () => {
    const html = render(<DeleteProjectDialog project={project} open onClose={() => {}} onConfirm={() => {}} />);
    const vms = html.indexOf('data-testid="delete-vms"');
    const claims = html.indexOf('data-testid="delete-claims"');
    const rest = html.indexOf('data-testid="delete-rest"');
    expect(vms).toBeGreaterThan(0);
    expect(claims).toBeGreaterThan(vms);
    expect(rest).toBeGreaterThan(claims);
    expect(html).toContain('vm-1-rootdisk');
    expect(html).toMatch(/data-testid="delete-submit"[^>]*disabled=""/);
  });

  it('the list shows usage against quota, members and policies at a glance', () => {
    const data: ProjectsResponse = { projects: [project] };
    const html = render(<ProjectsList />, 'en', full, (qc) => qc.setQueryData(adminKeys.projects, data));
    expect(html).toContain('data-testid="project-row"');
    expect(html).toMatch(/2 of 2(<!-- -->)? · full/);
    expect(html).toContain('role="meter"');
    expect(html).toContain('dev-b');
    expect(html).toContain('Isolated from other namespaces');
    expect(html).toContain('VMs cannot start');
  });

  it('a project page has an editor per part and the delete button', () => {
    const html = render(<ProjectPage namespace="team-c" />, 'en', full, (qc) => qc.setQueryData(adminKeys.project('team-c'), project));
    for (const part of ['members', 'quota', 'limits', 'podSecurity', 'network']) expect(html).toContain(`data-testid="save-${part}"`);
    expect(html).toContain('data-testid="project-delete"');
    expect(html).toContain('data-testid="project-current-manifests"');
  });
});
