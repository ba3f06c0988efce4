'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n/I18nProvider';
import { amountText, percentText } from '../../quota/amount';
import { QuotaBar } from '../../quota/QuotaBar';
import { ErrorPanel } from '../../vms/ErrorPanel';
import { LiveIndicator } from '../../vms/LiveIndicator';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { formatTimestamp } from '@/lib/i18n/format';
import type { MessageKey } from '@/lib/i18n/locales';
import { apiFetch } from '@/lib/live/api-client';
import { useLiveList } from '@/lib/live/use-live-list';
import { schedulingBlocks, share, type SchedulingBlock } from '@/lib/admin/cluster';
import type { VirtualMachineInstance } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';
import { clusterResponse, type ClusterNode } from '@/lib/shared/cluster';

// Nodes are read again every so often (there is no watch of summed pod requests); the VMs on them are live.
const REFRESH_MS = 10_000;

const BLOCK_KEYS: Record<SchedulingBlock, MessageKey> = {
  notReady: 'admin.cluster.block.notReady',
  cordoned: 'admin.cluster.block.cordoned',
  noVms: 'admin.cluster.block.noVms',
  noHandler: 'admin.cluster.block.noHandler',
};

type VmiOnNode = { namespace: string; name: string; phase: string };

// /admin/cluster: every node with what it can give and what is asked of it, whether new VMs may go there and why
// not, and the VMs running on it, each a link to its page.
export function ClusterPageView() {
  const { t, locale } = useI18n();
  const cluster = useQuery({
    queryKey: ['admin-cluster'],
    queryFn: async () => clusterResponse.parse(await apiFetch<unknown>(apiPaths.adminCluster)),
    refetchInterval: REFRESH_MS,
  });
  const vmis = useLiveList<VirtualMachineInstance>('virtualmachineinstances');
  const byNode = useMemo(() => {
    const m = new Map<string, VmiOnNode[]>();
    for (const v of vmis.items) {
      const node = v.status?.nodeName;
      if (!node) continue;
      const list = m.get(node) ?? [];
      list.push({ namespace: v.metadata?.namespace ?? '', name: v.metadata?.name ?? '', phase: v.status?.phase ?? '' });
      m.set(node, list);
    }
    for (const list of m.values()) list.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return m;
  }, [vmis.items]);

  return (
    <div className="flex flex-col gap-4 p-4" data-testid="cluster-page">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t('admin.cluster.title')}</h1>
        {cluster.isSuccess ? (
          <span className="text-sm text-slate-600" data-testid="cluster-updated">
            {t('admin.cluster.updated', { time: formatTimestamp(new Date(cluster.dataUpdatedAt).toISOString(), locale), seconds: REFRESH_MS / 1000 })}
          </span>
        ) : null}
        <LiveIndicator status={vmis.live} shown={vmis.isSuccess} />
      </div>
      {cluster.error ? (
        <ErrorPanel error={cluster.error} onRetry={() => void cluster.refetch()} />
      ) : cluster.isPending ? (
        <p className="text-slate-600">{t('common.loading')}</p>
      ) : (
        <>
          {cluster.data.pods === 'forbidden' ? (
            <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="cluster-pods-forbidden">
              {t('admin.cluster.podsForbidden')}
            </p>
          ) : null}
          {cluster.data.truncated ? <p className="text-sm text-amber-900">{t('admin.cluster.truncated')}</p> : null}
          {vmis.error ? <ErrorPanel error={vmis.error} onRetry={() => void vmis.refetch()} /> : null}
          <ul className="grid gap-4 lg:grid-cols-2" aria-label={t('admin.cluster.nodes')}>
            {cluster.data.nodes.map((n) => (
              <NodeCard key={n.name} node={n} vmis={byNode.get(n.name) ?? []} vmisKnown={vmis.isSuccess} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Usage({ label, used, total, unit, testId }: { label: string; used: number | undefined; total: number; unit: 'cores' | 'bytes' | 'count'; testId: string }) {
  const { t } = useI18n();
  const a = (n: number) => amountText(t, n, unit);
  if (used === undefined) {
    return (
      <div className="grid grid-cols-[6rem_1fr] items-center gap-2 text-sm" data-testid={testId}>
        <span className="text-slate-600">{label}</span>
        <span>{t('admin.cluster.allocatableOnly', { total: a(total) })}</span>
      </div>
    );
  }
  const text = t('admin.cluster.requestedOf', { used: a(used), total: a(total), percent: percentText(share(used, total)) });
  return (
    <div className="grid grid-cols-[6rem_1fr] items-center gap-x-2 text-sm" data-testid={testId} data-used={used} data-total={total}>
      <span className="text-slate-600">{label}</span>
      <span>{text}</span>
      <span />
      <QuotaBar used={used} hard={total} label={label} valueText={text} />
    </div>
  );
}

export function NodeCard({ node: n, vmis, vmisKnown }: { node: ClusterNode; vmis: VmiOnNode[]; vmisKnown: boolean }) {
  const { t } = useI18n();
  const blocks = schedulingBlocks(n);
  const titleId = `node-${n.name}`;
  return (
    <li className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4" data-testid="cluster-node" data-node={n.name} data-schedulable={blocks.length === 0}>
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 id={titleId} className="text-lg font-semibold">
          <Data>{n.name}</Data>
        </h2>
        {n.roles.length ? <Data className="text-xs text-slate-500">{n.roles.join(', ')}</Data> : null}
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${n.ready ? 'bg-emerald-100 text-emerald-900' : 'bg-red-100 text-red-900'}`} data-testid="node-ready">
          {n.ready ? t('admin.cluster.ready') : t('admin.cluster.notReady')}
        </span>
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${blocks.length ? 'bg-amber-100 text-amber-950' : 'bg-sky-100 text-sky-900'}`} data-testid="node-schedulable">
          {blocks.length ? t('admin.cluster.noNewVms') : t('admin.cluster.takesVms')}
        </span>
      </div>
      {blocks.length ? (
        <ul className="list-disc pl-5 text-sm text-amber-950" data-testid="node-blocks">
          {blocks.map((b) => (
            <li key={b}>{interpolate(t(BLOCK_KEYS[b]), { label: <Data className="font-mono text-xs">kubevirt.io/schedulable</Data> })}</li>
          ))}
        </ul>
      ) : null}
      {n.problems.length ? (
        <ul className="text-sm text-red-900" aria-label={t('admin.cluster.conditions')} data-testid="node-conditions">
          {n.problems.map((c) => (
            <li key={c.type}>
              <Data className="font-mono text-xs">{`${c.type}=${c.status}`}</Data>
              {c.reason || c.message ? <Data className="ml-2 text-xs text-slate-600">{[c.reason, c.message].filter(Boolean).join(': ')}</Data> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {n.taints.length ? (
        <p className="text-xs text-slate-600">
          {interpolate(t('admin.cluster.taints'), { taints: <Data className="font-mono">{n.taints.join(', ')}</Data> })}
        </p>
      ) : null}
      <div className="flex flex-col gap-2">
        <Usage label={t('admin.cluster.cpu')} used={n.requested ? n.requested.cpuMillis / 1000 : undefined} total={n.allocatable.cpuMillis / 1000} unit="cores" testId="node-cpu" />
        <Usage label={t('admin.cluster.memory')} used={n.requested?.memory} total={n.allocatable.memory} unit="bytes" testId="node-memory" />
        <Usage label={t('admin.cluster.pods')} used={n.requested?.pods} total={n.allocatable.pods} unit="count" testId="node-pods" />
      </div>
      <section aria-labelledby={`${titleId}-vms`}>
        <h3 id={`${titleId}-vms`} className="text-sm font-medium text-slate-800">
          {t('admin.cluster.vms', { count: vmis.length })}
        </h3>
        {!vmisKnown ? null : vmis.length === 0 ? (
          <p className="text-sm text-slate-600">{t('admin.cluster.noVms')}</p>
        ) : (
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="node-vms">
            {vmis.map((v) => (
              <li key={`${v.namespace}/${v.name}`} data-testid="node-vm" data-vm={`${v.namespace}/${v.name}`}>
                <Link href={`/vms/${encodeURIComponent(v.namespace)}/${encodeURIComponent(v.name)}`} className="text-sky-700 hover:underline" translate="no">
                  {`${v.namespace}/${v.name}`}
                </Link>
                {v.phase ? <Data className="ml-1 text-xs text-slate-500">{v.phase}</Data> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </li>
  );
}
