import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { AttachInterfaceDialog } from './AttachInterfaceDialog';
import { DetachInterfaceDialog } from './DetachInterfaceDialog';
import { ChangeError } from './text';
import { VmNetworksTab } from './VmNetworksTab';
import { ApiError } from '@/lib/live/api-client';
import { catalogues, translator, type Locale } from '@/lib/i18n/locales';
import { accessKey } from '@/lib/kubevirt/actions';
import { INTERFACE_ACCESS } from '@/lib/kubevirt/interfaces';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';

// The Network interfaces tab and its dialogs as the server renders them (no browser, so no live list is fetched):
// the e2e hooks are there, each row's state is marked, names and addresses are data, nothing is offered that the
// access review or KubeVirt would refuse, and no message key shows in place of a sentence, in both languages.

// The access review's answer, as useAccessChecks caches it.
function clientWith(allowed: boolean | 'asking'): QueryClient {
  const qc = new QueryClient();
  if (allowed !== 'asking') {
    const keys = INTERFACE_ACCESS.map((a) => accessKey('', a));
    qc.setQueryData(['access-checks', 'team-a', [...new Set(keys)].sort()], new Map(INTERFACE_ACCESS.map((a) => [accessKey('team-a', a), allowed])));
  }
  return qc;
}

function render(locale: Locale, node: ReactNode, allowed: boolean | 'asking' = true) {
  return renderToString(
    <QueryClientProvider client={clientWith(allowed)}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\b(nic|net|create\.error|reason)\.[a-zA-Z]+(\.[a-zA-Z]+)*\b(?![-\w]*=)/);

const vm: VirtualMachine = {
  metadata: { name: 'vm-1', namespace: 'team-a', resourceVersion: '7' },
  spec: {
    runStrategy: 'Always',
    template: {
      spec: {
        domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'lab', bridge: {} }, { name: 'fast', sriov: {} }, { name: 'new', bridge: {} }] } },
        networks: [{ name: 'default', pod: {} }, { name: 'lab', multus: { networkName: 'lab' } }, { name: 'fast', multus: { networkName: 'fast' } }, { name: 'new', multus: { networkName: 'lab' } }],
      },
    },
  } as never,
  status: { printableStatus: 'Running', created: true, conditions: [{ type: 'RestartRequired', status: 'True', message: 'a non-live-updatable field was changed in the template spec' }] as never },
};
const vmi: VirtualMachineInstance = {
  metadata: { name: 'vm-1', namespace: 'team-a' },
  spec: {
    domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }, { name: 'lab', bridge: {} }, { name: 'fast', sriov: {} }] } },
    networks: [{ name: 'default', pod: {} }, { name: 'lab', multus: { networkName: 'lab' } }, { name: 'fast', multus: { networkName: 'fast' } }],
  } as never,
  status: {
    phase: 'Running',
    conditions: [{ type: 'LiveMigratable', status: 'True' }] as never,
    interfaces: [
      { name: 'default', mac: '02:00:00:aa:bb:01', ipAddress: '10.244.1.9', ipAddresses: ['10.244.1.9'], infoSource: 'domain, guest-agent', interfaceName: 'eth0' },
      { name: 'lab', mac: '02:00:00:aa:bb:02', ipAddress: '10.101.0.4', ipAddresses: ['10.101.0.4'], infoSource: 'domain, multus-status' },
    ],
  },
};

describe.each(['en', 'zh-CN'] as const)('the Network interfaces tab (%s)', (locale) => {
  const m = catalogues[locale];

  it('lists every interface with its network, binding, MAC, addresses and their source, and its state', () => {
    const html = render(locale, <VmNetworksTab vm={vm} vmi={vmi} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="nic-row" data-nic="default" data-state="attached"/);
    expect(html).toMatch(/data-testid="nic-row" data-nic="lab" data-state="attached"/);
    expect(html).toMatch(/data-testid="nic-row" data-nic="fast" data-state="waitingMigration"/);
    expect(html).toMatch(/data-testid="nic-row" data-nic="new" data-state="attaching"/);
    expect(html).toMatch(/data-testid="nic-network"><span translate="no"[^>]*>team-a\/lab</);
    expect(html).toMatch(/<span translate="no"[^>]*>10\.101\.0\.4</);
    expect(html).toMatch(/data-testid="nic-ip-source" data-source="multus"/);
    expect(html).toMatch(/data-testid="nic-ip-source" data-source="guestAgent"/);
    expect(html).toContain(m['nic.ipSource.multus']);
    expect(html).toContain(m['nic.state.waitingMigration']);
    expect(html).toContain(m['nic.hint.waitingMigration']);
    expect(html).toContain(m['nic.restartRequired']);
    expect(html).toContain('a non-live-updatable field was changed in the template spec');
  });

  it('offers attach and the detach of a bridge interface; an SR-IOV one is not detached from a running VM, and says why', () => {
    const html = render(locale, <VmNetworksTab vm={vm} vmi={vmi} />);
    expect(html).toMatch(/<button[^>]*data-testid="nic-attach"/);
    expect(html).not.toMatch(/<button[^>]*data-testid="nic-attach"[^>]*disabled=""/);
    const lab = /data-nic="lab".*?<\/tr>/s.exec(html)![0];
    expect(lab).toMatch(/<button[^>]*data-testid="nic-detach"/);
    expect(lab).not.toMatch(/disabled=""/);
    const fast = /data-nic="fast".*?<\/tr>/s.exec(html)![0];
    expect(fast).toMatch(/<button[^>]*data-testid="nic-detach"[^>]*disabled=""/);
    expect(fast).toContain('data-testid="nic-detach-reason"');
    expect(fast).toMatch(/<span translate="no">sriov<\/span>/);
    expect(html).not.toContain('data-testid="nic-readonly"');
  });

  it('read-only, with the reason, for a user the access review refuses', () => {
    const html = render(locale, <VmNetworksTab vm={vm} vmi={vmi} />, false);
    noKeys(html);
    expect(html).toMatch(/<button[^>]*data-testid="nic-attach"[^>]*disabled=""/);
    expect(html).toMatch(/data-testid="nic-readonly"/);
    expect(html).toMatch(/<span translate="no">patch<\/span>/);
    expect(html).toMatch(/<span translate="no">virtualmachines<\/span>/);
    for (const button of html.match(/<button[^>]*data-testid="nic-detach"[^>]*>/g) ?? []) expect(button).toMatch(/disabled=""/);
  });

  it('while the access review is asked, nothing is offered yet and nothing is called read-only', () => {
    const html = render(locale, <VmNetworksTab vm={vm} vmi={vmi} />, 'asking');
    expect(html).toMatch(/<button[^>]*data-testid="nic-attach"[^>]*disabled=""[^>]*title="[^"]+"/);
    expect(html).not.toContain('data-testid="nic-readonly"');
  });

  it('the attach dialog proposes a NAD the VM does not have yet, with its binding and what the change waits for', () => {
    const two = { ...vm, spec: { ...vm.spec!, template: { spec: { domain: { devices: { interfaces: [{ name: 'default', masquerade: {} }] } }, networks: [{ name: 'default', pod: {} }] } } } } as VirtualMachine;
    const nads = { status: 'ready' as const, items: [{ namespace: 'team-a', name: 'lab', type: 'bridge', vlan: 101 }, { namespace: 'team-a', name: 'fast', type: 'sriov', vlan: 201 }] };
    const html = render(locale, <AttachInterfaceDialog vm={two} vmi={vmi} nads={nads} onClose={() => {}} />);
    noKeys(html);
    expect(html).toMatch(/<option value="nad:lab" translate="no" selected="">team-a\/lab<\/option>/);
    expect(html).toMatch(/data-testid="nic-attach-name"[^>]*value="lab"/);
    expect(html).toMatch(/<option value="bridge" selected="">/);
    expect(html).toMatch(/data-testid="nic-attach-outcome" data-outcome="hotplug"/);
    expect(html).not.toContain('nic-attach-problems');
    expect(html).not.toMatch(/data-testid="nic-attach-submit"[^>]*disabled=""/);
    // With lab attached already, fast is proposed: SR-IOV, attached through a live migration.
    const next = render(locale, <AttachInterfaceDialog vm={{ ...two, spec: vm.spec }} vmi={vmi} nads={{ ...nads, items: nads.items.slice(0, 1) }} onClose={() => {}} />);
    expect(next).toMatch(/data-testid="nic-attach-name"[^>]*value="lab1"/);
  });

  it('the detach dialog says what it does to a running VM', () => {
    const html = render(locale, <DetachInterfaceDialog vm={vm} vmi={vmi} name="lab" onClose={() => {}} />);
    noKeys(html);
    expect(html).toContain('data-testid="nic-detach-submit"');
    expect(html).toMatch(/<span translate="no" class="font-mono">lab<\/span>/);
  });

  it('a refusal is said in the user\'s language: the route\'s problems and reasons, else the API server\'s words', () => {
    const t = translator(m);
    const problems = new ApiError(422, { code: 'invalid', message: 'x', details: { problems: [{ field: 'binding', message: 'networks.masqueradeSecondary' }] } });
    expect(render(locale, <ChangeError error={problems} title="T" t={t} testId="e" />)).toContain(m['create.error.networks.masqueradeSecondary']);
    const refusal = new ApiError(409, { code: 'conflict', message: 'x', details: { refusal: { key: 'nic.reason.bridgeOnly', vars: { name: 'fast', binding: 'sriov' } } } });
    const said = render(locale, <ChangeError error={refusal} title="T" t={t} testId="e" />);
    noKeys(said);
    expect(said).toMatch(/<span translate="no">fast<\/span>/);
    const webhook = new ApiError(422, { code: 'invalid', message: 'denied', details: { reason: 'admission webhook denied the request: nope', causes: [{ field: 'spec.x', message: 'nope' }] } });
    const upstream = render(locale, <ChangeError error={webhook} title="T" t={t} testId="e" />);
    expect(upstream).toContain('admission webhook denied the request: nope');
    expect(upstream).toContain('spec.x: nope');
  });
});
