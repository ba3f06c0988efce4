'use client';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';
import { useAccessChecks } from '../vms/use-access';
import { buttonClass } from '../create/wizard/fields';
import { AttachInterfaceDialog, type NadChoices } from './AttachInterfaceDialog';
import { DetachInterfaceDialog } from './DetachInterfaceDialog';
import { accessReason, refusalNode } from './text';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { Translate } from '@/lib/i18n/locales';
import { useLiveList } from '@/lib/live/use-live-list';
import { detachRefusal, INTERFACE_ACCESS, INTERFACE_OPERATIONS, infoSources, interfaceRows, restartRequired, type InterfaceRow, type InterfaceState } from '@/lib/kubevirt/interfaces';
import { nadOption, type NadObject } from '@/lib/kubevirt/nads';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import type { KubeObject } from '@/lib/shared/kube-object';

const STATE_TONE: Record<InterfaceState, string> = {
  attached: 'bg-emerald-100 text-emerald-900',
  attaching: 'bg-sky-100 text-sky-900',
  detaching: 'bg-sky-100 text-sky-900',
  waitingMigration: 'bg-amber-100 text-amber-900',
  waitingRestart: 'bg-amber-100 text-amber-900',
  notRunning: 'bg-slate-100 text-slate-700',
};

// The VM page's Network interfaces tab: every interface with its network, binding, MAC, addresses (and where
// KubeVirt got them) and where it stands; attach and detach, offered when the access review allows them. The VM
// and its VMI come live from the page, so a change shows here as KubeVirt makes it, without a reload.
export function VmNetworksTab({ vm, vmi }: { vm: VirtualMachine; vmi?: VirtualMachineInstance }) {
  const t = useT();
  const namespace = vm.metadata?.namespace ?? '';
  const allowed = useAccessChecks(namespace, INTERFACE_ACCESS);
  const attachOp = INTERFACE_OPERATIONS.attach;
  const detachOp = INTERFACE_OPERATIONS.detach;
  const attachDenied = accessReason(allowed(attachOp.access), attachOp.access, t);
  const detachDenied = accessReason(allowed(detachOp.access), detachOp.access, t);
  const scope = useMemo(() => [namespace], [namespace]);
  // The namespace's NADs, what the create wizard offers too; followed only for someone who may attach one.
  const nadList = useLiveList<NadObject & KubeObject>('networkattachmentdefinitions', { namespaces: scope, enabled: attachDenied === undefined });
  const nads: NadChoices = useMemo(
    () => ({
      items: nadList.items.map(nadOption).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
      status: nadList.error ? 'failed' : nadList.isSuccess ? 'ready' : 'loading',
      error: nadList.error,
    }),
    [nadList.items, nadList.error, nadList.isSuccess],
  );
  const rows = useMemo(() => interfaceRows(vm, vmi), [vm, vmi]);
  const restart = restartRequired(vm);
  const [attaching, setAttaching] = useState(false);
  const [detaching, setDetaching] = useState<string | undefined>(undefined);
  const attachButton = useRef<HTMLButtonElement>(null);
  // Denied outright (not merely still asking): the tab is read-only, and says why once.
  const readOnly = allowed(attachOp.access) !== undefined && attachDenied;

  // A declared interface gets its Detach button, disabled with the reason when KubeVirt or the access review would
  // refuse; one the VM does not declare (KubeVirt's own pod network, one only the guest reports) has nothing to detach.
  const detachCell = (r: InterfaceRow): ReactNode => {
    if (!r.name || r.implicit || r.guestOnly) return null;
    const refused = detachRefusal(vm, vmi, r.name);
    if (refused?.missing) return null;
    const why = detachDenied ?? (refused ? { text: t(refused.key, refused.vars), node: refusalNode(refused, t) } : undefined);
    const reasonId = `nic-detach-reason-${r.name}`;
    return (
      <>
        <button
          type="button"
          data-testid="nic-detach"
          aria-label={t('nic.detachOf', { name: r.name })}
          className={buttonClass}
          disabled={why !== undefined}
          title={why?.text}
          aria-describedby={refused && !detachDenied ? reasonId : undefined}
          onClick={() => setDetaching(r.name)}
        >
          {t(detachOp.labelKey)}
        </button>
        {refused && !detachDenied ? (
          <span id={reasonId} className="mt-1 block max-w-xs text-xs text-slate-500" data-testid="nic-detach-reason">
            {refusalNode(refused, t)}
          </span>
        ) : null}
      </>
    );
  };

  return (
    <div className="flex flex-col gap-4" data-testid="networks-tab">
      {restart ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="nic-restart-required">
          {t('nic.restartRequired')} {restart.message ? interpolate(t('nic.kubevirtSaid'), { message: <Data>{restart.message}</Data> }) : null}
        </p>
      ) : null}
      <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="nic-title">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <h2 id="nic-title" className="font-semibold">
            {t('nic.title')}
          </h2>
          <button
            ref={attachButton}
            type="button"
            data-testid="nic-attach"
            className={buttonClass}
            disabled={attachDenied !== undefined}
            title={attachDenied?.text}
            aria-describedby={readOnly ? 'nic-readonly' : undefined}
            onClick={() => setAttaching(true)}
          >
            {t(attachOp.labelKey)}
          </button>
        </div>
        {readOnly ? (
          <p id="nic-readonly" className="mb-3 text-sm text-slate-600" data-testid="nic-readonly">
            {interpolate(t('nic.readOnly'), { reason: readOnly.node })}
          </p>
        ) : null}
        {rows.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="nic-table">
              <caption className="sr-only">{t('nic.caption')}</caption>
              <thead>
                <tr className="border-b border-slate-200 text-slate-500">
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.name')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.network')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.binding')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.mac')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.ips')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">{t('nic.col.state')}</th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    <span className="sr-only">{t('nic.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <Row key={r.name || `guest-${i}`} row={r} t={t} detach={detachCell(r)} />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-500" data-testid="nic-none">
            {t('nic.none')}
          </p>
        )}
      </section>
      {attaching ? (
        <AttachInterfaceDialog
          vm={vm}
          vmi={vmi}
          nads={nads}
          onClose={() => {
            setAttaching(false);
            attachButton.current?.focus();
          }}
        />
      ) : null}
      {detaching ? <DetachInterfaceDialog vm={vm} vmi={vmi} name={detaching} onClose={() => setDetaching(undefined)} /> : null}
    </div>
  );
}

function Row({ row: r, t, detach }: { row: InterfaceRow; t: Translate; detach: ReactNode }) {
  const sources = infoSources(r.infoSource);
  return (
    <tr className="border-b border-slate-100 align-top" data-testid="nic-row" data-nic={r.name} data-state={r.state}>
      <td className="py-1.5 pr-3">
        {r.name ? <Data className="font-mono">{r.name}</Data> : <span className="text-slate-400">—</span>}
        {r.implicit ? <span className="ml-1 text-xs text-slate-500">{t('net.implicit')}</span> : null}
        {r.guestOnly ? <span className="block text-xs text-slate-500">{t('nic.guestOnly')}</span> : null}
        {r.guestName ? <span className="block text-xs text-slate-500">{interpolate(t('nic.guestName'), { name: <Data className="font-mono">{r.guestName}</Data> })}</span> : null}
      </td>
      <td className="py-1.5 pr-3" data-testid="nic-network">
        {r.network.kind === 'pod' ? t('net.pod') : r.network.kind === 'multus' ? <Data>{`${r.network.namespace}/${r.network.name}`}</Data> : <span className="text-slate-400">{t('nic.network.unknown')}</span>}
      </td>
      <td className="py-1.5 pr-3" data-testid="nic-binding" data-binding={r.binding}>
        {r.binding === 'masquerade' || r.binding === 'bridge' || r.binding === 'sriov' ? t(`create.networks.binding.${r.binding}`) : r.binding ? <Data>{r.binding}</Data> : r.guestOnly ? null : t('net.binding.clusterDefault')}
      </td>
      <td className="py-1.5 pr-3">{r.mac ? <Data className="font-mono text-xs">{r.mac}</Data> : <span className="text-slate-400">—</span>}</td>
      <td className="py-1.5 pr-3" data-testid="nic-ips">
        {r.ips.length ? (
          r.ips.map((ip) => (
            <Data key={ip} className="block font-mono text-xs">
              {ip}
            </Data>
          ))
        ) : (
          <span className="text-xs text-slate-400">{t('nic.ips.none')}</span>
        )}
        {r.ipSource ? (
          <span className="block text-xs text-slate-500" data-testid="nic-ip-source" data-source={r.ipSource} title={t('nic.infoSource', { source: r.infoSource ?? '' })}>
            {r.ipSource === 'guestAgent' ? t('nic.ipSource.guestAgent') : r.ipSource === 'multus' ? t('nic.ipSource.multus') : interpolate(t('nic.ipSource.other'), { sources: <Data>{sources.join(', ')}</Data> })}
          </span>
        ) : null}
        {r.linkState === 'down' ? <span className="block text-xs font-medium text-red-800">{t('nic.linkDown')}</span> : null}
      </td>
      <td className="py-1.5 pr-3" data-testid="nic-state">
        <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${STATE_TONE[r.state]}`}>{t(`nic.state.${r.state}`)}</span>
        {r.state === 'waitingMigration' ? <span className="mt-1 block max-w-xs text-xs text-slate-600">{t(r.migrationAutomatic ? 'nic.hint.migrationAutomatic' : 'nic.hint.waitingMigration')}</span> : null}
        {r.state === 'waitingRestart' ? <span className="mt-1 block max-w-xs text-xs text-slate-600">{t('nic.hint.waitingRestart')}</span> : null}
      </td>
      <td className="py-1.5 pr-3">{detach}</td>
    </tr>
  );
}
