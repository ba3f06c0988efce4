'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { VncConsoleLazy } from '../consoles/vnc/VncConsoleLazy';
import { MigrationsPanel } from '../migrations/MigrationsPanel';
import { RestartRequiredBanner } from '../edit/RestartRequiredBanner';
import { SettingsTab } from '../edit/VmSettings';
import { useT } from '../i18n/I18nProvider';
import { CreateVmLink } from './CreateVmLink';
import { VmConsoleTab } from '../consoles/VmConsoleTab';
import { VmDisksTab } from '../disks/VmDisksTab';
import { VmNetworksTab } from '../networks/VmNetworksTab';
import { ErrorPanel } from './ErrorPanel';
import { LiveIndicator } from './LiveIndicator';
import { NotAllowed } from './NotAllowed';
import { StatusBadge } from './StatusBadge';
import { VmActionsMenu } from './VmActionsMenu';
import { VmEvents } from './VmEvents';
import { VmOverview } from './VmOverview';
import { VmProvisioning } from './VmProvisioning';
import { VmYaml } from './VmYaml';
import { CloneVmButton } from '../snapshots/CloneDialog';
import { RestoreProgressBanner } from '../snapshots/RestoreProgress';
import { VmSnapshotsTab } from '../snapshots/VmSnapshotsTab';
import { useActionAccess, useCreateAccess } from './use-access';
import { ApiError } from '@/lib/live/api-client';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { combineLive } from '@/lib/live/live-status';
import { useLiveList } from '@/lib/live/use-live-list';
import { vmStatus } from '@/lib/kubevirt/status';
import { diskProvisioning, isProvisioning, type DataVolumeLike } from '@/lib/kubevirt/provisioning';
import type { KubeEvent, VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';
import type { KubeObject } from '@/lib/shared/kube-object';
import type { MessageKey } from '@/lib/i18n/locales';

type Tab = 'overview' | 'console' | 'vnc' | 'migrations' | 'events' | 'yaml' | 'disks' | 'snapshots' | 'networks' | 'settings';
// In the order of a VM's day: reach it, look after its disks and networks, protect it, move it, change it, then
// the records.
const tabs: { id: Tab; key: MessageKey }[] = [
  { id: 'overview', key: 'detail.tab.overview' },
  { id: 'console', key: 'console.tab' },
  { id: 'vnc', key: 'vnc.tab' },
  { id: 'disks', key: 'disks.tab' },
  { id: 'networks', key: 'nic.tab' },
  { id: 'snapshots', key: 'snapshot.tab' },
  { id: 'migrations', key: 'migration.tab' },
  { id: 'settings', key: 'edit.tab' },
  { id: 'events', key: 'detail.tab.events' },
  { id: 'yaml', key: 'detail.tab.yaml' },
];

export function VmDetailView({ namespace, name }: { namespace: string; name: string }) {
  const t = useT();
  const [tab, setTab] = useState<Tab>('overview');
  const scope = useMemo(() => [namespace], [namespace]);
  // The same live lists as the list page, narrowed to this name: the page follows the VM without polling.
  const vms = useLiveList<VirtualMachine>('virtualmachines', { namespaces: scope, fieldSelector: `metadata.name=${name}` });
  const forbidden = vms.error instanceof ApiError && vms.error.status === 403;
  const vmis = useLiveList<VirtualMachineInstance>('virtualmachineinstances', { namespaces: scope, fieldSelector: `metadata.name=${name}`, enabled: vms.isSuccess });
  const events = useLiveList<KubeEvent>('events', { namespaces: scope, fieldSelector: `involvedObject.name=${name}`, enabled: vms.isSuccess });
  // The namespace's live migrations (filtered to this VM's by spec.vmiName): the Migrations tab and the menu's migrate/cancel.
  const migrations = useLiveList<VirtualMachineInstanceMigration>('virtualmachineinstancemigrations', { namespaces: scope, enabled: vms.isSuccess });
  const allowed = useActionAccess(vms.isSuccess ? scope : []);
  // Only a VM with DataVolume templates has disks CDI provisions; the namespace's DataVolumes are matched by name.
  const hasTemplates = (vms.items[0]?.spec?.dataVolumeTemplates?.length ?? 0) > 0;
  const dataVolumes = useLiveList<DataVolumeLike & KubeObject>('datavolumes', { namespaces: scope, enabled: vms.isSuccess && hasTemplates });
  const disks = useMemo(() => (vms.items[0] && hasTemplates ? diskProvisioning(vms.items[0], dataVolumes.items) : []), [vms.items, hasTemplates, dataVolumes.items]);
  const creatable = useCreateAccess(vms.isSuccess ? scope : []);

  if (forbidden) {
    const reason = (vms.error as ApiError).body.details?.reason;
    return <NotAllowed namespace={namespace} name={name} reason={typeof reason === 'string' ? reason : undefined} />;
  }
  if (vms.error) return <ErrorPanel error={vms.error} onRetry={() => void vms.refetch()} />;
  if (vms.isPending) return <p className="p-4 text-slate-600">{t('common.loading')}</p>;
  const vm = vms.items[0];
  const vmi = vmis.items[0];
  if (!vm) {
    return (
      <div className="p-8 text-center" data-testid="vm-not-found">
        <p className="mb-2">{interpolate(t('detail.notFound'), { namespace: <Data>{namespace}</Data>, name: <Data>{name}</Data> })}</p>
        <Link href="/vms" className="text-sky-700 hover:underline">
          {t('common.back')}
        </Link>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-center gap-4">
        <Link href="/vms" className="text-sm text-sky-700 hover:underline">
          ← {t('common.back')}
        </Link>
        <h1 className="text-xl font-semibold" data-testid="vm-name" translate="no">
          {namespace}/{name}
        </h1>
        <StatusBadge status={vmStatus(vm)} />
        <LiveIndicator status={combineLive([vms.live, vmis.live, events.live])} />
        <div>
          <VmActionsMenu vm={vm} vmi={vmi} allowed={allowed} migrations={migrations.isSuccess ? migrations.items : undefined} variant="page" />
        </div>
        {creatable.allowedIn(namespace) ? <CreateVmLink query={{ from: { namespace, name } }} variant="secondary" testId="create-like" /> : null}
        <CloneVmButton vm={vm} />
      </div>
      {dataVolumes.isSuccess && isProvisioning(disks) ? <VmProvisioning disks={disks} /> : null}
      <RestoreProgressBanner vm={vm} vmi={vmi} />
      <RestartRequiredBanner vm={vm} vmi={vmi} allowed={allowed} migrations={migrations.isSuccess ? migrations.items : undefined} />
      <div role="tablist" className="flex gap-1 border-b border-slate-200">
        {tabs.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            data-testid={`tab-${x.id}`}
            aria-selected={tab === x.id}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${tab === x.id ? 'border-sky-700 font-medium text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
            onClick={() => setTab(x.id)}
          >
            {t(x.key)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'overview' ? <VmOverview vm={vm} vmi={vmi} /> : null}
        {tab === 'console' ? <VmConsoleTab namespace={namespace} name={name} hasInstance={vmi !== undefined} /> : null}
        {tab === 'events' ? <VmEvents events={events.items} /> : null}
        {tab === 'yaml' ? <VmYaml vm={vm} /> : null}
        {tab === 'vnc' ? <VncConsoleLazy namespace={namespace} name={name} /> : null}
        {tab === 'migrations' ? <MigrationsPanel vm={vm} vmi={vmi} list={migrations} allowed={allowed} /> : null}
        {tab === 'disks' ? <VmDisksTab vm={vm} vmi={vmi} /> : null}
        {tab === 'snapshots' ? <VmSnapshotsTab vm={vm} vmi={vmi} allowed={allowed} /> : null}
        {tab === 'networks' ? <VmNetworksTab vm={vm} vmi={vmi} /> : null}
        <SettingsTab vm={vm} active={tab === 'settings'} />
      </div>
    </div>
  );
}
