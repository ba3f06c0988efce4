'use client';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useT } from '../../i18n/I18nProvider';
import { Dialog } from '../../ui/Dialog';
import { useToast } from '../../ui/Toaster';
import { describeError } from '../../vms/describe-error';
import { postChecks } from '../../vms/use-access';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { askAccess } from '@/lib/live/access-batch';
import { apiFetch } from '@/lib/live/api-client';
import { accessKey, type AccessAttributes } from '@/lib/kubevirt/actions';
import { rangeText } from '@/lib/admin/ipv4';
import type { NadSummary } from '@/lib/admin/nad';
import { apiPaths } from '@/lib/shared/api-paths';

const DELETE_NAD: AccessAttributes = { verb: 'delete', group: 'k8s.cni.cncf.io', resource: 'network-attachment-definitions' };

// The shared networks the user can see, all namespaces in one table, with what each is made of and its config as
// stored. Delete asks an access review per namespace first and says why it is off.
export function NadTable({ nads }: { nads: NadSummary[] }) {
  const t = useT();
  const toast = useToast();
  const [namespace, setNamespace] = useState('');
  const [confirm, setConfirm] = useState<NadSummary | null>(null);
  const namespaces = useMemo(() => [...new Set(nads.map((n) => n.namespace))].sort(), [nads]);
  const rows = useMemo(
    () => nads.filter((n) => !namespace || n.namespace === namespace).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    [nads, namespace],
  );
  const access = useQuery({
    queryKey: ['access-nad-delete', namespaces],
    enabled: namespaces.length > 0,
    staleTime: 30_000,
    queryFn: () => askAccess(namespaces, [DELETE_NAD], postChecks),
  });
  const remove = useMutation({
    mutationFn: (n: NadSummary) => apiFetch(apiPaths.adminNetwork(n.namespace, n.name), { method: 'DELETE' }),
    onSuccess: (_d, n) => toast({ tone: 'success', title: interpolate(t('admin.networks.deleted'), { nad: <Data>{`${n.namespace}/${n.name}`}</Data> }) }),
    onError: (err, n) => {
      const { summary, reason } = describeError(err, t);
      toast({ tone: 'error', title: interpolate(t('admin.networks.deleteFailed'), { nad: <Data>{`${n.namespace}/${n.name}`}</Data> }), body: reason ? `${summary}\n${reason}` : summary });
    },
  });

  return (
    <section aria-labelledby="nad-list-title" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id="nad-list-title" className="text-lg font-semibold">
          {t('admin.networks.list.title')}
        </h2>
        <span className="text-sm text-slate-600" data-testid="nad-count">
          {t('admin.networks.list.count', { count: rows.length })}
        </span>
        <label className="ml-auto flex items-center gap-1 text-sm">
          <span className="text-slate-600">{t('list.filter.namespace')}</span>
          <select className="rounded border border-slate-300 bg-white px-2 py-1" value={namespace} onChange={(e) => setNamespace(e.target.value)} data-testid="nad-filter-namespace">
            <option value="">{t('list.filter.all')}</option>
            {namespaces.map((n) => (
              <option key={n} value={n} translate="no">
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="nad-empty">
          {t('admin.networks.list.none')}
        </p>
      ) : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="nad-table">
            <thead>
              <tr className="border-b border-slate-200 text-slate-500">
                {(['admin.networks.col.namespace', 'admin.networks.col.name', 'admin.networks.col.type', 'admin.networks.col.wire', 'admin.networks.col.vlan', 'admin.networks.col.addresses', 'admin.networks.col.config'] as const).map((k) => (
                  <th key={k} scope="col" className="px-3 py-2 font-medium">
                    {t(k)}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t('admin.networks.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => {
                const answer = access.data?.get(accessKey(n.namespace, DELETE_NAD));
                const mayDelete = answer === true;
                const why = access.error ? t('admin.networks.accessFailed') : answer === false ? t('admin.networks.deleteNotAllowed') : access.isPending ? t('admin.networks.accessChecking') : undefined;
                return (
                  <tr key={`${n.namespace}/${n.name}`} className="border-b border-slate-100 align-top" data-testid="nad-row" data-nad={`${n.namespace}/${n.name}`}>
                    <td className="px-3 py-1.5">
                      <Data>{n.namespace}</Data>
                    </td>
                    <td className="px-3 py-1.5 font-medium">
                      <Data>{n.name}</Data>
                    </td>
                    <td className="px-3 py-1.5">{n.type === 'bridge' ? t('admin.networks.kind.bridge') : n.type === 'sriov' ? t('admin.networks.kind.sriov') : <Data>{n.type}</Data>}</td>
                    <td className="px-3 py-1.5">
                      <Data className="font-mono text-xs">{n.bridge ?? n.resourceName ?? ''}</Data>
                    </td>
                    <td className="px-3 py-1.5" data-testid="nad-vlan">
                      {n.vlan ?? t('admin.networks.untagged')}
                    </td>
                    <td className="px-3 py-1.5">
                      {n.subnets.length ? (
                        <Data className="font-mono text-xs">{addresses(n)}</Data>
                      ) : (
                        t('admin.networks.noAddresses')
                      )}
                    </td>
                    <td className="px-3 py-1.5">
                      <details>
                        <summary className="cursor-pointer text-sky-700">{t('admin.networks.showConfig')}</summary>
                        <pre className="mt-1 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 text-xs" translate="no">
                          {pretty(n.config)}
                        </pre>
                      </details>
                    </td>
                    <td className="px-3 py-1.5 text-right">
                      <button
                        type="button"
                        className="rounded border border-red-300 px-2 py-0.5 text-red-800 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
                        aria-disabled={!mayDelete}
                        aria-describedby={why ? `nad-why-${n.namespace}-${n.name}` : undefined}
                        onClick={() => mayDelete && setConfirm(n)}
                        data-testid="nad-delete"
                      >
                        {t('admin.networks.delete')}
                        <span className="sr-only">
                          {' '}
                          <Data>{`${n.namespace}/${n.name}`}</Data>
                        </span>
                      </button>
                      {why ? (
                        <span id={`nad-why-${n.namespace}-${n.name}`} className="block text-xs text-slate-500">
                          {why}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {confirm ? (
        <Dialog open onClose={() => setConfirm(null)} title={t('admin.networks.confirmTitle', { nad: `${confirm.namespace}/${confirm.name}` })} testId="nad-confirm">
          <p className="mb-4 text-slate-700">{interpolate(t('admin.networks.confirmBody'), { nad: <Data className="font-mono">{`${confirm.namespace}/${confirm.name}`}</Data> })}</p>
          <div className="flex justify-end gap-2">
            <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={() => setConfirm(null)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              autoFocus
              className="rounded bg-red-700 px-3 py-1.5 font-medium text-white"
              data-testid="nad-confirm-delete"
              onClick={() => {
                remove.mutate(confirm);
                setConfirm(null);
              }}
            >
              {t('admin.networks.delete')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

const addresses = (n: NadSummary) => `${n.subnets.join(', ')}${n.ranges.length ? ` (${n.ranges.map(rangeText).join(', ')})` : ''}${n.ipamType ? ` · ${n.ipamType}` : ''}`;

function pretty(config: string): string {
  try {
    return JSON.stringify(JSON.parse(config), null, 2);
  } catch {
    return config;
  }
}
