'use client';
import { useMemo } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { ErrorPanel } from '../../vms/ErrorPanel';
import { LiveIndicator } from '../../vms/LiveIndicator';
import { useNamespaces } from '../../vms/use-namespaces';
import { NadForm } from './NadForm';
import { NadTable } from './NadTable';
import { useLiveList } from '@/lib/live/use-live-list';
import { describeNad } from '@/lib/admin/nad';
import type { KubeObject } from '@/lib/shared/kube-object';

type NadObject = KubeObject & { spec?: { config?: string } };

// /admin/networks: the NetworkAttachmentDefinitions VMs attach as secondary networks, followed live in every
// namespace the admin works in (one cluster-wide watch for an admin), and the form that makes new ones.
export function NetworksPageView() {
  const t = useT();
  const namespaces = useNamespaces();
  const list = useLiveList<NadObject>('networkattachmentdefinitions', { enabled: namespaces.isSuccess });
  const nads = useMemo(() => list.items.map(describeNad), [list.items]);
  const error = namespaces.error ?? list.error;
  return (
    <div className="flex flex-col gap-4 p-4" data-testid="networks-page">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t('admin.networks.title')}</h1>
        <LiveIndicator status={list.live} shown={list.isSuccess} />
      </div>
      <p className="max-w-3xl text-sm text-slate-700">{t('admin.networks.intro')}</p>
      {error ? (
        <ErrorPanel error={error} onRetry={() => void (namespaces.error ? namespaces.refetch() : list.refetch())} />
      ) : namespaces.isPending || list.isPending ? (
        <p className="text-slate-600">{t('common.loading')}</p>
      ) : (
        <>
          <NadForm namespaces={namespaces.data?.namespaces ?? []} existing={nads} />
          <NadTable nads={nads} />
        </>
      )}
    </div>
  );
}
