import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { NodeCard } from './cluster/ClusterPageView';
import { AdminNotAllowed } from './networks/AdminGate';
import { NadForm } from './networks/NadForm';
import { NadTable } from './networks/NadTable';
import { problemText } from './networks/problems';
import { encodeProblem } from './networks/problems';
import { catalogues, translator, type Locale } from '@/lib/i18n/locales';
import { describeNad, type NadProblemKey } from '@/lib/admin/nad';
import type { ClusterNode } from '@/lib/shared/cluster';

// The admin pages' parts as the server renders them, in both languages: the hooks the e2e spec uses are there,
// Kubernetes names are data, and no message key shows in place of a sentence.

function render(locale: Locale, node: ReactNode) {
  return renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\badmin\.[a-zA-Z]+\.[a-zA-Z.]+\b(?![-\w]*=)/);

const lab = describeNad({
  metadata: { namespace: 'team-a', name: 'lab' },
  spec: { config: JSON.stringify({ cniVersion: '0.3.1', name: 'lab', type: 'bridge', bridge: 'br-lab', vlan: 101, ipam: { type: 'whereabouts', range: '10.101.0.0/24' } }) },
});

const worker: ClusterNode = {
  name: 'worker-1',
  roles: ['worker'],
  ready: true,
  unschedulable: true,
  kubevirtSchedulable: true,
  taints: [],
  problems: [{ type: 'MemoryPressure', status: 'True' }],
  allocatable: { cpuMillis: 16000, memory: 64 * 1024 ** 3, pods: 110 },
  requested: { cpuMillis: 1200, memory: 4 * 1024 ** 3, pods: 5 },
};

describe.each(['en', 'zh-CN'] as const)('admin views (%s)', (locale) => {
  it('the network form: every field labelled, the config waiting for valid fields', () => {
    const html = render(locale, <NadForm namespaces={['team-a', 'team-b']} existing={[lab]} />);
    noKeys(html);
    for (const id of ['nad-namespace', 'nad-name', 'nad-bridge', 'nad-vlan', 'nad-ipam-subnet', 'nad-ipam-rangeStart', 'nad-ipam-rangeEnd', 'nad-ipam-gateway']) {
      expect(html, id).toMatch(new RegExp(`<label for="${id}"`));
      expect(html, id).toMatch(new RegExp(`id="${id}"`));
    }
    expect(html).toContain('data-testid="nad-config-pending"');
    expect(html).toContain('data-testid="nad-submit"');
  });

  it('the network table: the wire, VLAN and addresses of each NAD, and its stored config', () => {
    const html = render(locale, <NadTable nads={[lab]} />);
    noKeys(html);
    expect(html).toContain('data-nad="team-a/lab"');
    expect(html).toMatch(/data-testid="nad-vlan">101</);
    expect(html).toContain('10.101.0.0/24 (10.101.0.1-10.101.0.254) · whereabouts');
    expect(html).toContain('&quot;bridge&quot;: &quot;br-lab&quot;');
  });

  it('a node: figures, what keeps VMs off it, and its VMs as links', () => {
    const html = render(locale, <ul><NodeCard node={worker} vmis={[{ namespace: 'team-a', name: 'vm-1', phase: 'Running' }]} vmisKnown /></ul>);
    noKeys(html);
    expect(html).toMatch(/data-testid="cluster-node" data-node="worker-1" data-schedulable="false"/);
    expect(html).toContain(catalogues[locale]['admin.cluster.block.cordoned']);
    expect(html).toContain('MemoryPressure=True');
    expect(html).toMatch(/data-testid="node-cpu" data-used="1.2" data-total="16"/);
    expect(html).toContain('href="/vms/team-a/vm-1"');
  });

  it('not allowed: the sentence and the refused review', () => {
    const html = render(locale, <AdminNotAllowed bodyKey="admin.gate.networks" verb="create" resource="network-attachment-definitions.k8s.cni.cncf.io" scope="all" reason="no RBAC rule" />);
    noKeys(html);
    expect(html).toContain('data-testid="not-allowed"');
    expect(html).toContain('create network-attachment-definitions.k8s.cni.cncf.io');
  });

  it('every NAD problem has a sentence', () => {
    const t = translator(catalogues[locale]);
    const keys: NadProblemKey[] = ['namespace.invalid', 'name.required', 'name.invalid', 'name.taken', 'kind.invalid', 'bridge.required', 'bridge.invalid', 'resourceName.required', 'resourceName.invalid', 'vlan.range', 'ipam.invalid', 'subnet.required', 'subnet.invalid', 'subnet.notNetwork', 'subnet.tooSmall', 'address.invalid', 'range.outsideSubnet', 'range.order', 'gateway.outsideSubnet', 'range.overlap'];
    for (const key of keys) {
      const text = problemText(t, encodeProblem({ field: 'name', key, params: { min: 1, max: 4094, namespace: 'a', name: 'b', range: 'r', subnet: 's', first: 'f', last: 'l', start: 's', end: 'e', network: 'n' } }));
      expect(text, key).not.toMatch(/admin\.|\{\w+\}/);
    }
    expect(problemText(t, 'nonsense')).toBe(catalogues[locale]['admin.networks.problem.generic']);
  });
});
