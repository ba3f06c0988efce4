import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { CloneDialog, CloneVmButton } from './CloneDialog';
import { RestoreDialog } from './RestoreDialog';
import { SnapshotPlan } from './SnapshotPlan';
import { TakeSnapshotDialog } from './TakeSnapshotDialog';
import { VmSnapshotsTab } from './VmSnapshotsTab';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { accessKey, type AccessAttributes } from '@/lib/kubevirt/actions';
import { SNAPSHOT_ACCESS, snapshotView } from '@/lib/kubevirt/snapshots';
import type { VirtualMachine, VirtualMachineClone, VirtualMachineRestore, VirtualMachineSnapshot } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';

// The Snapshots tab and its dialogs as the server renders them, with the live lists and access reviews already in
// the query cache: the e2e hooks are there, KubeVirt's reasons are in plain words with the names as data, the
// viewer's read-only note says why, and no message key shows in place of a sentence, in both languages.

const NO_CLASS = 'No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass [sandbox-local] [scratch]';
const vm = (printableStatus = 'Running'): VirtualMachine => ({
  metadata: { name: 'vm-1', namespace: 'team-a' },
  spec: {
    runStrategy: 'Always',
    template: {
      spec: {
        domain: { devices: {} },
        volumes: [
          { name: 'containerdisk', containerDisk: { image: 'img' } },
          { name: 'datadisk', persistentVolumeClaim: { claimName: 'disk-shared' } },
          { name: 'scratch', persistentVolumeClaim: { claimName: 'disk-local' } },
        ],
      },
    },
  },
  status: {
    printableStatus,
    created: printableStatus === 'Running',
    volumeSnapshotStatuses: [
      { name: 'containerdisk', enabled: false, reason: 'Snapshot is not supported for this volumeSource type [containerdisk]' },
      { name: 'datadisk', enabled: true },
      { name: 'scratch', enabled: false, reason: NO_CLASS },
    ],
  },
});
const snapshot: VirtualMachineSnapshot = {
  metadata: { name: 'vm-1-snap', namespace: 'team-a', uid: 'u1', creationTimestamp: '2026-01-01T10:00:00Z', annotations: { description: 'before upgrade' } },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' } },
  status: {
    phase: 'Succeeded',
    readyToUse: true,
    creationTime: '2026-01-01T10:00:03Z',
    indications: ['Online', 'NoGuestAgent'],
    snapshotVolumes: { includedVolumes: ['datadisk'], excludedVolumes: ['containerdisk', 'scratch'] },
  },
};
const restore: VirtualMachineRestore = {
  metadata: { name: 'vm-1-restore-1', namespace: 'team-a', creationTimestamp: '2026-01-01T11:00:00Z', annotations: { 'kubevirt-portal/stopped-for-restore': 'true' } },
  spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, virtualMachineSnapshotName: 'vm-1-snap' },
  status: { complete: true, restoreTime: '2026-01-01T11:01:00Z', conditions: [{ type: 'Ready', status: 'True', reason: 'Operation complete' }] },
};
const clone: VirtualMachineClone = {
  metadata: { name: 'copy-clone-abcde', namespace: 'team-a', creationTimestamp: '2026-01-01T12:00:00Z' },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm-1' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'copy' } },
  status: { phase: 'RestoreInProgress', targetName: 'copy' },
};

function client(allowed: boolean) {
  const qc = new QueryClient();
  const live = (resource: 'virtualmachinesnapshots' | 'virtualmachinerestores' | 'virtualmachineclones', items: object[]) =>
    qc.setQueryData(['live', apiPaths.list({ resource, namespaces: ['team-a'] })], { items, resourceVersions: {} });
  live('virtualmachinesnapshots', [snapshot]);
  live('virtualmachinerestores', [restore]);
  live('virtualmachineclones', [clone]);
  const keys = SNAPSHOT_ACCESS.map((a) => accessKey('', a)).sort();
  qc.setQueryData(['access-checks', 'team-a', keys], new Map(SNAPSHOT_ACCESS.map((a: AccessAttributes) => [accessKey('team-a', a), allowed])));
  return qc;
}

function render(locale: Locale, node: ReactNode, qc = new QueryClient()) {
  return renderToString(
    <QueryClientProvider client={qc}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\b(snapshot|restore|clone)\.[a-z]+\.[a-zA-Z.]+\b(?![-\w]*=)/);
const yes = () => true;
const no = () => false;

describe.each(['en', 'zh-CN'] as const)('snapshot views (%s)', (locale) => {
  const m = catalogues[locale];

  it('before any snapshot: included disks, and each left-out one with KubeVirt\'s reason in words', () => {
    const html = render(locale, <SnapshotPlan vm={vm()} />);
    noKeys(html);
    expect(html).toContain('data-testid="snapshot-plan" data-reported="true"');
    expect(html).toMatch(/data-testid="snapshot-plan-included"><span><span translate="no"[^>]*>datadisk</);
    expect(html).toMatch(/data-testid="excluded-volume" data-volume="scratch" data-claim="true"/);
    expect(html).toMatch(/translate="no"[^>]*>sandbox-local</);
    expect(html).toContain(NO_CLASS);
    expect(html).toContain(m['snapshot.plan.claimsLeftOut']);
  });

  it('the tab: a snapshot row with phase, readiness, description, indications, included and excluded disks; restores; clones', () => {
    const html = render(locale, <VmSnapshotsTab vm={vm()} allowed={yes} />, client(true));
    noKeys(html);
    expect(html).toMatch(/data-testid="snapshot-row" data-snapshot="vm-1-snap" data-phase="Succeeded" data-ready="true"/);
    expect(html).toContain(m['snapshot.phase.Succeeded']);
    expect(html).toMatch(/data-testid="snapshot-description"><span translate="no">before upgrade</);
    expect(html).toContain(m['snapshot.indication.online']);
    expect(html).toContain(m['snapshot.indication.noGuestAgent']);
    expect(html).toMatch(/data-testid="snapshot-included"><span><span translate="no"[^>]*>datadisk</);
    // The snapshot's left-out claim, with the reason KubeVirt gives for it on the VM.
    expect(html.match(/data-testid="excluded-volume" data-volume="scratch"/g)).toHaveLength(2);
    expect(html).toMatch(/data-testid="snapshot-restore"(?![^>]*aria-disabled)/);
    expect(html).toMatch(/data-testid="restore-row" data-restore="vm-1-restore-1" data-step="complete"/);
    expect(html).toContain(m['restore.list.stoppedByPortal']);
    expect(html).toMatch(/data-testid="clone-row" data-clone="copy-clone-abcde" data-phase="RestoreInProgress"/);
    expect(html).toContain('href="/vms/team-a/copy"');
    expect(html).not.toContain('data-testid="snapshots-readonly"');
  });

  it('for a viewer: read-only, with the reason, and every change disabled with it', () => {
    const html = render(locale, <VmSnapshotsTab vm={vm()} allowed={no} />, client(false));
    noKeys(html);
    expect(html).toContain('data-testid="snapshots-readonly"');
    expect(html).toMatch(/translate="no">create<\/span>/);
    expect(html).toMatch(/translate="no">virtualmachinesnapshots<\/span>/);
    for (const id of ['snapshot-take', 'snapshot-restore', 'snapshot-clone', 'snapshot-delete']) expect(html).toMatch(new RegExp(`data-testid="${id}" aria-disabled="true"`));
    expect(html).toMatch(/data-testid="snapshot-delete-reason"/);
  });

  it('the header\'s Clone is disabled with the reason for a viewer', () => {
    expect(render(locale, <CloneVmButton vm={vm()} />, client(false))).toMatch(/data-testid="vm-clone" aria-disabled="true"[^>]*title="[^"]*virtualmachineclones/);
    expect(render(locale, <CloneVmButton vm={vm()} />, client(true))).not.toMatch(/data-testid="vm-clone" aria-disabled/);
  });

  it('the restore confirmation says which disks are replaced, what is kept, and offers to stop a running VM first', () => {
    const html = render(locale, <RestoreDialog vm={vm()} snapshot={snapshotView(snapshot)} allowed={yes} onClose={() => {}} onRestoring={() => {}} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="restore-replaced" data-volume="datadisk"/);
    expect(html).toMatch(/translate="no"[^>]*>disk-shared</);
    expect(html).toContain('data-testid="restore-kept"');
    expect(html).toContain('data-testid="restore-running"');
    expect(html).toContain(m['restore.stopFirst']);
    // Until the stop is chosen, the restore cannot be sent.
    expect(html).toMatch(/data-testid="restore-submit" disabled=""/);
    const stopped = render(locale, <RestoreDialog vm={vm('Stopped')} snapshot={snapshotView(snapshot)} allowed={yes} onClose={() => {}} onRestoring={() => {}} />);
    expect(stopped).not.toContain('data-testid="restore-running"');
    expect(stopped).not.toMatch(/data-testid="restore-submit" disabled=""/);
  });

  it('without the right to stop the VM, the offer is disabled with the reason', () => {
    const html = render(locale, <RestoreDialog vm={vm()} snapshot={snapshotView(snapshot)} allowed={no} onClose={() => {}} onRestoring={() => {}} />);
    expect(html).toMatch(/data-testid="restore-stop-first"[^>]*disabled=""/);
    expect(html).toMatch(/data-testid="restore-stop-reason">[^]*virtualmachines\/stop/);
  });

  it('the clone and snapshot dialogs: prefilled names, the identity note, and the claims a clone cannot copy', () => {
    const html = render(locale, <CloneDialog vm={vm()} onClose={() => {}} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="clone-name"[^>]*value="vm-1-clone"/);
    expect(html).toContain(m['clone.identity']);
    expect(html).toMatch(/data-testid="clone-warnings"[^]*data-volume="scratch"/);
    expect(render(locale, <CloneDialog vm={vm()} snapshot="vm-1-snap" onClose={() => {}} />)).not.toContain('data-testid="clone-warnings"');
    const take = render(locale, <TakeSnapshotDialog vm={vm()} onClose={() => {}} />);
    noKeys(take);
    expect(take).toMatch(/data-testid="snapshot-name"[^>]*value="vm-1-snapshot-\d{8}-\d{6}"/);
    expect(take).toMatch(/data-testid="snapshot-deadline"[^>]*value="5"/);
    expect(take).toContain('data-testid="snapshot-plan"');
  });
});
