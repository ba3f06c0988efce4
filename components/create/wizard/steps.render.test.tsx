import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { FormProvider, useForm, type FieldErrors } from 'react-hook-form';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../../i18n/I18nProvider';
import { ErrorSummary } from './ErrorSummary';
import { initialForm } from './form-values';
import { StepBasics } from './StepBasics';
import { StepCloudInit } from './StepCloudInit';
import { StepList } from './StepList';
import { StepNetworks } from './StepNetworks';
import { StepReview } from './StepReview';
import { StepRun } from './StepRun';
import { StepSize } from './StepSize';
import { StepSource } from './StepSource';
import { StepStorage } from './StepStorage';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import type { CreateVmForm, CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions } from '@/lib/shared/create-api';

// Every step renders (on the server, no browser) with a full set of choices in both languages, and never shows a
// message key in place of a sentence.
vi.mock('next/navigation', () => ({ useRouter: () => ({ push: () => {} }) }));

const options: CreateOptions = {
  namespace: 'team-a',
  namespaces: ['team-a', 'team-b'],
  dataSources: [
    { namespace: 'team-a', name: 'fedora', os: 'fedora', size: '30Gi', ready: true },
    { namespace: 'kubevirt-os-images', name: 'centos-stream9', os: 'centos.stream9', size: '20Gi', ready: false },
  ],
  instancetypes: [
    { name: 'u1.small', series: 'u1', size: 'small', cpu: 1, memory: '2Gi' },
    { name: 'u1.medium', series: 'u1', size: 'medium', cpu: 1, memory: '4Gi' },
    { name: 'cx1.large', series: 'cx1', size: 'large', cpu: 2, memory: '4Gi' },
  ],
  preferences: [{ name: 'fedora', displayName: 'Fedora' }],
  storageClasses: [
    { name: 'standard', isDefault: true, provisioner: 'sim', accessModes: ['ReadWriteOnce'], volumeModes: ['Filesystem'], snapshots: true, expansion: false, bindingMode: 'Immediate' },
    { name: 'shared', isDefault: false, provisioner: 'sim', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], volumeModes: ['Filesystem', 'Block'], snapshots: false, expansion: true, bindingMode: 'WaitForFirstConsumer' },
  ],
  networks: [{ namespace: 'team-a', name: 'vlan10', type: 'bridge', vlan: 10 }],
  pvcs: [{ namespace: 'team-a', name: 'data', size: '10Gi', storageClass: 'standard', volumeMode: 'Filesystem' }],
  quotas: [{ name: 'team-a', hard: { 'requests.cpu': '4' }, used: { 'requests.cpu': '1' } }],
  vmNames: ['web1'],
  unavailable: [],
};

const form: CreateVmFormInput = {
  ...initialForm('team-a'),
  name: 'web1',
  bootSource: { kind: 'dataSource', namespace: 'team-a', name: 'fedora' },
  size: { kind: 'instancetype', instancetype: 'u1.medium', preference: 'fedora' },
  extraDisks: [{ name: 'disk1', size: '10Gi', storageClass: 'shared' }],
  cloudInit: { sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO1HlnYR7PoXrTSYiprkbTudN7p44Q27iISQwq5QNi7m alice@laptop'], user: 'alice', userData: '#cloud-config\n' },
  networks: [
    { name: 'default', source: { kind: 'pod' }, binding: 'masquerade' },
    { name: 'net1', source: { kind: 'multus', networkName: 'vlan10' }, binding: 'bridge' },
  ],
};

function Harness({ locale, values, errors, children }: { locale: Locale; values: CreateVmFormInput; errors?: FieldErrors<CreateVmFormInput>; children: ReactNode }) {
  const methods = useForm<CreateVmFormInput, unknown, CreateVmForm>({ defaultValues: values, errors });
  return (
    <I18nProvider locale={locale} messages={catalogues[locale]}>
      <QueryClientProvider client={new QueryClient()}>
        <FormProvider {...methods}>{children}</FormProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

const steps: [string, ReactNode][] = [
  ['basics', <StepBasics key="a" options={options} current />],
  ['source', <StepSource key="b" options={options} />],
  ['size', <StepSize key="c" options={options} />],
  ['storage', <StepStorage key="d" options={options} />],
  ['cloudInit', <StepCloudInit key="e" />],
  ['networks', <StepNetworks key="f" options={options} />],
  ['run', <StepRun key="g" />],
  ['review', <StepReview key="h" options={options} onEdit={() => {}} onGoToField={() => {}} busy={false} done={false} />],
  ['list', <StepList key="i" current="size" reached={3} onGo={() => {}} />],
];

describe('wizard steps render', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    for (const [name, node] of steps) {
      it(`${name} in ${locale}`, () => {
        const html = renderToString(
          <Harness locale={locale} values={form}>
            {node}
          </Harness>,
        );
        expect(html.length).toBeGreaterThan(100);
        expect(html).not.toMatch(/create\.[a-z]/);
      });
    }
  }

  it('shows what matters on each step', () => {
    const r = (node: ReactNode, values = form) => renderToString(<Harness locale="en" values={values}>{node}</Harness>);
    expect(r(steps[0]![1])).toContain('A VM with this name already exists');
    const source = r(steps[1]![1]);
    expect(source).toContain('centos.stream9');
    expect(source).toContain('not ready yet');
    expect(r(steps[2]![1])).toContain('1 vCPU · 4 GiB');
    const storage = r(steps[3]![1]);
    expect(storage).toContain('ReadWriteMany is what makes live migration possible');
    expect(storage).toContain('ReadWriteMany, ReadWriteOnce');
    expect(r(steps[3]![1], { ...form, bootSource: { kind: 'containerDisk', image: 'quay.io/x' } })).toContain('data-testid="create-no-root-disk"');
    expect(r(steps[4]![1])).toContain('data-testid="create-network-data"');
    expect(r(steps[4]![1], { ...form, networks: [{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }] })).not.toContain('data-testid="create-network-data"');
    expect(r(steps[5]![1])).toContain('VLAN 10');
    const review = r(steps[7]![1]);
    expect(review).toContain('data-testid="manifests"');
    expect(review).toContain('data-testid="create-submit"');
    expect(review).toContain('1 line(s)');
    expect(r(steps[8]![1])).toContain('aria-current="step"');
  });

  it('summarises errors in words: known keys translated, unknown ones generic, sentences as data', () => {
    const errors = {
      name: { type: 'custom', message: 'name.dns1123' },
      networks: { 1: { binding: { type: 'custom', message: 'networks.somethingUnheardOf' } } },
      rootDisk: { size: { type: 'server', message: 'admission webhook said no' } },
    } as unknown as FieldErrors<CreateVmFormInput>;
    for (const locale of ['en', 'zh-CN'] as const) {
      const html = renderToString(
        <Harness locale={locale} values={form} errors={errors}>
          <ErrorSummary step="all" onFocusField={() => {}} />
        </Harness>,
      );
      expect(html).toContain('role="alert"');
      expect(html).toContain(catalogues[locale]['create.error.name.dns1123']);
      expect(html).toContain(catalogues[locale]['create.error.generic']);
      expect(html).toContain('<span translate="no">admission webhook said no</span>');
      expect(html).not.toMatch(/create\.[a-z]|networks\.somethingUnheardOf/);
    }
  });
});
