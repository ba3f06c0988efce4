import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { AddDiskDialog } from './AddDiskDialog';
import { DisksPanel, type Expanded } from './VmDisksTab';
import { ExpandDiskDialog } from './ExpandDiskDialog';
import { RemoveDiskDialog } from './RemoveDiskDialog';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { DISK_ACCESS, DISK_OPERATIONS, operationState, vmDiskRows, type ClaimLike } from '@/lib/kubevirt/disks';
import type { AccessAttributes } from '@/lib/kubevirt/actions';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import type { StorageClassOption } from '@/lib/shared/create-api';

// The Disks tab and its dialogs as the server renders them (no browser, no live lists): the e2e hooks and states
// are there, names and Kubernetes' words are data, disabled operations say why, and no message key shows in place
// of a sentence, in both languages.

function render(locale: Locale, node: ReactNode) {
  return renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\b(disks|reason|create|disk)\.[a-zA-Z]+(\.[a-zA-Z]+)*\b(?![-\w]*=)/);

const vm = (status = 'Running'): VirtualMachine =>
  ({
    metadata: { name: 'web', namespace: 'team-a', uid: 'vm-uid' },
    spec: {
      runStrategy: 'Always',
      template: {
        spec: {
          domain: { devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }, { name: 'cloudinitdisk', disk: { bus: 'virtio' } }, { name: 'data', disk: { bus: 'scsi' } }] } },
          volumes: [
            { name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } },
            { name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config' } },
            { name: 'data', dataVolume: { name: 'web-data', hotpluggable: true } },
          ],
        },
      },
    },
    status: { printableStatus: status },
  }) as unknown as VirtualMachine;

const vmi: VirtualMachineInstance = {
  metadata: { name: 'web', namespace: 'team-a', uid: 'vmi-1' },
  spec: { domain: { devices: {} }, volumes: [{ name: 'rootdisk', dataVolume: { name: 'web-rootdisk' } }, { name: 'cloudinitdisk' }, { name: 'data', dataVolume: { name: 'web-data', hotpluggable: true } }] } as never,
  status: { phase: 'Running', volumeStatus: [{ name: 'rootdisk', target: 'vda' }, { name: 'data', target: 'sda', phase: 'Ready', reason: 'VolumeReady' }] },
};

const claim = (name: string, request: string, capacity: string, cls: string, conditions: object[] = []): ClaimLike & { metadata: { name: string } } => ({
  metadata: { name, namespace: 'team-a' },
  spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: request } } },
  status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: capacity }, conditions: conditions as never },
});

const classes: StorageClassOption[] = [
  { name: 'sandbox-shared', isDefault: true, provisioner: 'shared', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], volumeModes: ['Filesystem', 'Block'], snapshots: true, expansion: true, bindingMode: 'Immediate' },
  { name: 'sandbox-local', isDefault: false, provisioner: 'local', accessModes: ['ReadWriteOnce'], volumeModes: ['Filesystem'], snapshots: false, expansion: false, bindingMode: 'WaitForFirstConsumer' },
];

const yes = () => true;
const denied = (a: AccessAttributes) => a.verb === 'get';

function panel(locale: Locale, opts: { allowed?: (a: AccessAttributes) => boolean | undefined; claims?: ClaimLike[]; expanded?: Record<string, Expanded>; running?: boolean } = {}) {
  const items = (opts.claims ?? [claim('web-rootdisk', '2Gi', '2Gi', 'sandbox-local'), claim('web-data', '1Gi', '1Gi', 'sandbox-shared'), claim('spare', '5Gi', '5Gi', 'sandbox-shared')]) as (ClaimLike & { metadata: { name: string } })[];
  return render(
    locale,
    <DisksPanel
      vm={vm(opts.running === false ? 'Stopped' : 'Running')}
      vmi={opts.running === false ? undefined : vmi}
      claims={{ items, isSuccess: true, error: null }}
      dataVolumes={[]}
      classes={classes}
      classesUnavailable={false}
      allowed={opts.allowed ?? yes}
      expanded={opts.expanded ?? {}}
      onExpanded={() => {}}
    />,
  );
}

const rowOf = (html: string, disk: string) => {
  const start = html.indexOf(`data-disk="${disk}"`);
  return html.slice(start, html.indexOf('</tr>', start));
};

describe.each(['en', 'zh-CN'] as const)('the Disks tab (%s)', (locale) => {
  const m = catalogues[locale];

  it('lists every disk with its volume, claim, storage, hot-plug phase and what the guest has', () => {
    const html = panel(locale);
    noKeys(html);
    expect(html).toMatch(/data-testid="disks-note" data-running="true"/);
    const data = rowOf(html, 'data');
    expect(data).toMatch(/data-testid="disk-volume" data-kind="dataVolume"/);
    expect(data).toMatch(/data-testid="disk-size" data-capacity="1Gi" data-request="1Gi"/);
    expect(data).toMatch(/data-testid="disk-hotplug" data-hotplug="true" data-phase="Ready"/);
    expect(data).toMatch(/data-testid="disk-guest" data-state="attached"/);
    expect(data).toContain('<span translate="no" class="font-mono">sandbox-shared</span>');
    expect(data).toMatch(/data-testid="disk-remove" aria-disabled="false"/);
    expect(data).toMatch(/data-testid="disk-expand" aria-disabled="false"/);
    const root = rowOf(html, 'rootdisk');
    expect(root).toMatch(/data-testid="disk-hotplug" data-hotplug="false"/);
    // Not hot-plugged: no Remove; on a class without expansion: Expand disabled, with the reason.
    expect(root).not.toContain('disk-remove');
    expect(root).toMatch(/data-testid="disk-expand" aria-disabled="true"/);
    expect(root).toContain(m['disks.reason.notExpandable'].split('{storageClass}')[0]!);
    const cloud = rowOf(html, 'cloudinitdisk');
    expect(cloud).toMatch(/data-kind="cloudInitNoCloud"/);
    expect(cloud).not.toContain('disk-expand');
    expect(html).toMatch(/data-testid="disks-add" aria-disabled="false"/);
  });

  it('a user the reviews refuse sees every change disabled, saying which verb on which resource', () => {
    const html = panel(locale, { allowed: denied });
    noKeys(html);
    expect(html).toMatch(/data-testid="disks-add" aria-disabled="true" aria-describedby="disks-add-reason"/);
    const reason = (verb: string, resource: string) => m['reason.forbidden'].replace('{verb}', `<span translate="no">${verb}</span>`).replace('{resource}', `<span translate="no">${resource}</span>`);
    expect(html).toContain(reason('update', 'virtualmachines/addvolume'));
    const data = rowOf(html, 'data');
    expect(data).toMatch(/data-testid="disk-remove" aria-disabled="true"/);
    expect(data).toContain(reason('update', 'virtualmachines/removevolume'));
    expect(data).toContain(reason('patch', 'persistentvolumeclaims'));
  });

  it('a claim growing says at which step; after a growth made here, whether the guest needs a restart', () => {
    const growing = panel(locale, { claims: [claim('web-data', '2Gi', '1Gi', 'sandbox-shared', [{ type: 'FileSystemResizePending', status: 'True' }])] });
    expect(rowOf(growing, 'data')).toMatch(/data-testid="disk-resize" data-state="resizing" data-step="fileSystem"/);
    const grown = [claim('web-data', '2Gi', '2Gi', 'sandbox-shared')];
    expect(rowOf(panel(locale, { claims: grown, expanded: { 'web-data': { size: '2Gi', vmiUid: 'vmi-1' } } }), 'data')).toMatch(/data-testid="disk-guest-size" data-state="restart"/);
    expect(rowOf(panel(locale, { claims: grown, expanded: { 'web-data': { size: '2Gi', vmiUid: 'vmi-0' } } }), 'data')).toMatch(/data-testid="disk-guest-size" data-state="applied"/);
    const stopped = panel(locale, { claims: grown, expanded: { 'web-data': { size: '2Gi', vmiUid: 'vmi-1' } }, running: false });
    expect(rowOf(stopped, 'data')).toMatch(/data-testid="disk-guest-size" data-state="nextStart"/);
    expect(stopped).toMatch(/data-testid="disks-note" data-running="false"/);
    expect(rowOf(stopped, 'data')).toMatch(/data-testid="disk-guest" data-state="notRunning"/);
    noKeys(stopped);
  });

  it('the add dialog: both sources, the classes with the default first, the modes, the SCSI bus', () => {
    const v = vm();
    const ok = operationState(DISK_OPERATIONS.addBlank, yes);
    const html = render(locale, <AddDiskDialog vm={v} running classes={classes} claims={[claim('spare', '5Gi', '5Gi', 'sandbox-shared')]} canBlank={ok} canClaim={ok} onClose={() => {}} />);
    noKeys(html);
    expect(html).toContain('data-testid="add-disk-dialog"');
    expect(html).toMatch(/data-testid="add-disk-source-blank"[^>]*checked/);
    expect(html).toMatch(/data-testid="add-disk-name"[^>]*value="disk-1"/);
    expect(html).toContain(`>${m['create.storage.clusterDefaultIs'].replace('{name}', 'sandbox-shared')}</option>`);
    expect(html).toContain('<option value="Block" translate="no">Block</option>');
    expect(html).toContain('<span translate="no" class="font-mono">scsi</span>');
    expect(html).toContain(m['disks.add.whenRunning']);
  });

  it('the add dialog, when only an existing claim may be hot-plugged, says why a blank disk may not', () => {
    const blank = operationState(DISK_OPERATIONS.addBlank, (a) => a !== DISK_ACCESS.createDataVolume);
    const html = render(locale, <AddDiskDialog vm={vm()} running={false} classes={classes} claims={[]} canBlank={blank} canClaim={operationState(DISK_OPERATIONS.addClaim, yes)} onClose={() => {}} />);
    noKeys(html);
    expect(html).toMatch(/<input type="radio" disabled="" data-testid="add-disk-source-blank"/);
    expect(html).toMatch(/data-testid="add-disk-source-claim"[^>]*checked/);
    expect(html).toContain('<span translate="no">datavolumes.cdi.kubevirt.io</span>');
    expect(html).toContain('data-testid="add-disk-no-claims"');
    expect(html).toContain(m['disks.add.whenStopped']);
  });

  it('the expand and remove dialogs name the claim and say what happens next', () => {
    const v = vm();
    const rows = vmDiskRows(v, vmi, [claim('web-data', '1Gi', '1Gi', 'sandbox-shared')]);
    const data = rows.find((r) => r.name === 'data')!;
    const expand = render(locale, <ExpandDiskDialog vm={v} row={data} claim={data.claim!} classAllows running onClose={() => {}} onExpanded={() => {}} />);
    noKeys(expand);
    expect(expand).toContain('data-testid="expand-disk-size"');
    expect(expand).toContain('<span translate="no">ExpandDisks</span>');
    expect(expand).toContain('<span translate="no" class="font-mono">web-data</span>');
    const remove = render(locale, <RemoveDiskDialog vm={v} row={data} onClose={() => {}} />);
    noKeys(remove);
    expect(remove).toContain('data-testid="remove-disk-submit"');
    expect(remove).toContain('<span translate="no" class="font-mono">web-data</span>');
  });
});
