'use client';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/I18nProvider';
import { useAccessChecks } from '../vms/use-access';
import { AddDiskDialog } from './AddDiskDialog';
import { ExpandDiskDialog } from './ExpandDiskDialog';
import { RemoveDiskDialog } from './RemoveDiskDialog';
import { ErrorText, guestText, reasonNode, reasonString, resizeText, sizeText } from './disk-text';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { useLiveList } from '@/lib/live/use-live-list';
import {
  addApplies,
  attachableClaims,
  DISK_ACCESS_CHECKS,
  DISK_OPERATIONS,
  expandApplies,
  liveVmi,
  operationState,
  removeApplies,
  vmDiskRows,
  type ClaimLike,
  type DiskOptions,
  type DiskRow,
  type OperationState,
} from '@/lib/kubevirt/disks';
import type { AccessAnswer, AccessAttributes } from '@/lib/kubevirt/actions';
import type { DataVolumeLike } from '@/lib/kubevirt/provisioning';
import { parseQuantity } from '@/lib/kubevirt/quantity';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import { apiPaths } from '@/lib/shared/api-paths';
import type { KubeObject } from '@/lib/shared/kube-object';
import type { StorageClassOption } from '@/lib/shared/create-api';

// The VM page's Disks tab: every disk of the VM with its volume, claim and what the running guest has of it, live
// (the VM, its VMI, the namespace's claims and DataVolumes are followed, never polled); hot-plugging a disk,
// removing a hot-plugged one and growing a claim, each offered only as far as the access reviews and the disk's
// state allow, and otherwise disabled with the reason.

/** A claim grown from this tab, and the VMI that was running then: whether the guest has seen it needs a restart. */
export interface Expanded {
  size: string;
  vmiUid?: string;
}

export interface ListState<T> {
  items: T[];
  isSuccess: boolean;
  error: unknown;
}

export function VmDisksTab({ vm, vmi }: { vm: VirtualMachine; vmi?: VirtualMachineInstance }) {
  const namespace = vm.metadata?.namespace ?? '';
  const name = vm.metadata?.name ?? '';
  const scope = useMemo(() => [namespace], [namespace]);
  const claims = useLiveList<ClaimLike & KubeObject>('persistentvolumeclaims', { namespaces: scope });
  const dataVolumes = useLiveList<DataVolumeLike & KubeObject>('datavolumes', { namespaces: scope });
  const options = useQuery({
    queryKey: ['disk-options', namespace, name],
    queryFn: () => apiFetch<DiskOptions>(apiPaths.vmDisks(namespace, name)),
    staleTime: 60_000,
    retry: (n, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2,
  });
  const allowed = useAccessChecks(namespace, DISK_ACCESS_CHECKS);
  const [expanded, setExpanded] = useState<Record<string, Expanded>>({});
  const onExpanded = useCallback((claim: string, e: Expanded) => setExpanded((x) => ({ ...x, [claim]: e })), []);
  return (
    <DisksPanel
      vm={vm}
      vmi={vmi}
      claims={claims}
      dataVolumes={dataVolumes.items}
      classes={options.data?.storageClasses}
      classesUnavailable={Boolean(options.error) || (options.data?.unavailable.includes('storageClasses') ?? false)}
      allowed={allowed}
      expanded={expanded}
      onExpanded={onExpanded}
    />
  );
}

type Dialog = { kind: 'add' } | { kind: 'remove'; row: DiskRow } | { kind: 'expand'; row: DiskRow };

const buttonClass = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:text-slate-400 aria-disabled:hover:bg-white';

/** A button that stays focusable when disabled, so its reason can be read (aria-describedby). */
function OpButton({ state, label, testId, onClick, className = buttonClass, reasonId }: { state: OperationState; label: string; testId: string; onClick: () => void; className?: string; reasonId: string }) {
  const t = useT();
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <button
        type="button"
        data-testid={testId}
        aria-disabled={!state.enabled}
        aria-describedby={state.enabled ? undefined : reasonId}
        title={reasonString(state, t)}
        className={className}
        onClick={() => {
          if (state.enabled) onClick();
        }}
      >
        {label}
      </button>
      {state.enabled ? null : (
        <span id={reasonId} className="max-w-56 text-xs text-slate-500" data-testid="disk-op-reason">
          {reasonNode(state, t)}
        </span>
      )}
    </span>
  );
}

export function DisksPanel({
  vm,
  vmi,
  claims,
  dataVolumes,
  classes,
  classesUnavailable,
  allowed,
  expanded,
  onExpanded,
}: {
  vm: VirtualMachine;
  vmi?: VirtualMachineInstance;
  claims: ListState<ClaimLike & KubeObject>;
  dataVolumes: readonly DataVolumeLike[];
  classes: StorageClassOption[] | undefined;
  classesUnavailable: boolean;
  allowed: (a: AccessAttributes) => AccessAnswer;
  expanded: Record<string, Expanded>;
  onExpanded: (claim: string, e: Expanded) => void;
}) {
  const t = useT();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const running = liveVmi(vmi);
  const claimsForbidden = claims.error instanceof ApiError && claims.error.status === 403;
  const rows = useMemo(() => vmDiskRows(vm, vmi, claims.isSuccess ? claims.items : undefined), [vm, vmi, claims.isSuccess, claims.items]);
  const free = useMemo(() => attachableClaims(claims.items, vm), [claims.items, vm]);
  const classOf = (name: string | undefined) => (name ? classes?.find((c) => c.name === name) : undefined);
  // Unknown when the classes could not be read: then the API server's admission decides.
  const classAllows = (r: DiskRow): boolean | undefined => {
    const c = classOf(r.claim?.storageClass);
    return c ? c.expansion : classes && !classesUnavailable && r.claim?.storageClass ? false : undefined;
  };
  const adds = addApplies(vm);
  const canBlank = operationState(DISK_OPERATIONS.addBlank, allowed, adds);
  const canClaim = operationState(DISK_OPERATIONS.addClaim, allowed, adds);
  const canAdd: OperationState = canBlank.enabled ? canBlank : canClaim;

  return (
    <div className="flex flex-col gap-3" data-testid="disks-panel">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p className="max-w-3xl text-sm text-slate-700" data-testid="disks-note" data-running={Boolean(running)}>
          {running ? interpolate(t('disks.note.running'), { bus: <Data>scsi</Data> }) : t('disks.note.stopped')}
        </p>
        <OpButton
          state={canAdd}
          label={t('disks.add')}
          testId="disks-add"
          reasonId="disks-add-reason"
          className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 aria-disabled:cursor-not-allowed aria-disabled:bg-slate-300 aria-disabled:text-slate-600"
          onClick={() => setDialog({ kind: 'add' })}
        />
      </div>
      {claimsForbidden ? (
        <p className="text-sm text-slate-600" data-testid="disks-claims-forbidden">
          {t('disks.claimsForbidden')}
        </p>
      ) : claims.error ? (
        <p role="alert" className="text-sm text-red-800">
          <ErrorText error={claims.error} t={t} />
        </p>
      ) : null}
      {classesUnavailable ? (
        <p className="text-sm text-slate-600" data-testid="disks-classes-unavailable">
          {t('disks.classesUnavailable')}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="p-2 text-slate-600" data-testid="disks-none">
          {t('disks.none')}
        </p>
      ) : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="disks">
            <caption className="sr-only">{t('disks.caption')}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-slate-500">
                {(['disk', 'volume', 'size', 'storage', 'hotplug', 'guest', 'actions'] as const).map((c) => (
                  <th key={c} scope="col" className="px-2 py-1.5 font-medium">
                    {t(`disks.col.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <DiskTableRow
                  key={r.name}
                  row={r}
                  running={Boolean(running)}
                  vmiUid={running?.metadata?.uid}
                  dataVolume={r.dataVolume ? dataVolumes.find((d) => d.metadata?.name === r.dataVolume) : undefined}
                  expanded={r.claim ? expanded[r.claim.name] : undefined}
                  canRemove={operationState(DISK_OPERATIONS.remove, allowed, removeApplies(r))}
                  canExpand={operationState(DISK_OPERATIONS.expand, allowed, expandApplies(r, classAllows(r)))}
                  onRemove={() => setDialog({ kind: 'remove', row: r })}
                  onExpand={() => setDialog({ kind: 'expand', row: r })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'add' ? (
        <AddDiskDialog
          vm={vm}
          running={Boolean(running)}
          classes={classes}
          claims={claims.isSuccess ? free : undefined}
          canBlank={canBlank}
          canClaim={canClaim}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'remove' ? <RemoveDiskDialog vm={vm} row={dialog.row} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'expand' && dialog.row.claim ? (
        <ExpandDiskDialog
          vm={vm}
          row={dialog.row}
          claim={dialog.row.claim}
          classAllows={classAllows(dialog.row)}
          running={Boolean(running)}
          onClose={() => setDialog(null)}
          onExpanded={(size) => dialog.row.claim && onExpanded(dialog.row.claim.name, { size, vmiUid: running?.metadata?.uid })}
        />
      ) : null}
    </div>
  );
}

function Line({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <span className="block" data-testid={testId}>
      {children}
    </span>
  );
}

function DiskTableRow({
  row: r,
  running,
  vmiUid,
  dataVolume,
  expanded,
  canRemove,
  canExpand,
  onRemove,
  onExpand,
}: {
  row: DiskRow;
  running: boolean;
  vmiUid: string | undefined;
  dataVolume: DataVolumeLike | undefined;
  expanded: Expanded | undefined;
  canRemove: OperationState;
  canExpand: OperationState;
  onRemove: () => void;
  onExpand: () => void;
}) {
  const t = useT();
  const c = r.claim;
  const muted = (s: ReactNode) => <span className="text-slate-400">{s}</span>;
  const dvPhase = dataVolume?.status?.phase;
  const dvFailed = dataVolume?.status?.conditions?.find((x) => x.type === 'Running' && x.reason === 'Error' && x.message)?.message;
  // After an expansion made here, once the claim has it: whether the guest has had the restart it may need to see it.
  const grown = expanded && c && c.resize.kind === 'none' && (parseQuantity(c.capacity) ?? 0) >= (parseQuantity(expanded.size) ?? Infinity);
  const guestSize = grown ? (!running ? 'nextStart' : vmiUid && vmiUid !== expanded.vmiUid ? 'applied' : 'restart') : undefined;
  const id = `disk-${r.name}`;

  return (
    <tr className="border-b border-slate-100 align-top" data-testid="disk-row" data-disk={r.name}>
      <th scope="row" className="px-2 py-1.5 font-normal">
        <Data className="font-mono font-medium">{r.name}</Data>
        <Line>
          {r.device === 'none' ? muted(t('common.none')) : t(`disk.kind.${r.device}`)}
          {r.bus ? (
            <>
              {' · '}
              <Data className="font-mono">{r.bus}</Data>
            </>
          ) : null}
        </Line>
      </th>
      <td className="px-2 py-1.5" data-testid="disk-volume" data-kind={r.volumeKind}>
        {r.volumeKind === 'other' ? t('disks.kind.other') : <Data className="font-mono">{r.volumeKind}</Data>}
        {r.source ? (
          <Line>
            <Data className="break-all font-mono text-xs text-slate-600">{r.source}</Data>
          </Line>
        ) : null}
      </td>
      <td className="px-2 py-1.5" data-testid="disk-size" data-capacity={c?.capacity ?? ''} data-request={c?.request ?? ''}>
        {c?.capacity || c?.request ? (
          <>
            <Data>{sizeText(c.capacity ?? c.request)}</Data>
            {c.request && c.capacity && c.request !== c.capacity ? <Line>{interpolate(t('disks.size.requested'), { size: <Data>{sizeText(c.request)}</Data> })}</Line> : null}
          </>
        ) : (
          muted('—')
        )}
        {c && c.resize.kind !== 'none' ? (
          <span className={`block text-xs ${c.resize.kind === 'failed' ? 'text-red-700' : 'text-amber-800'}`} data-testid="disk-resize" data-state={c.resize.kind} data-step={c.resize.kind === 'resizing' ? c.resize.step : ''}>
            {resizeText(c.resize, t)}
            {c.resize.message ? (
              <span className="block">
                <Data>{c.resize.message}</Data>
              </span>
            ) : null}
          </span>
        ) : null}
        {guestSize ? (
          <span className="block max-w-64 text-xs text-slate-600" data-testid="disk-guest-size" data-state={guestSize}>
            {guestSize === 'restart'
              ? interpolate(t('disks.expand.guestRestart'), { size: <Data>{sizeText(expanded?.size)}</Data>, gate: <Data>ExpandDisks</Data> })
              : interpolate(t(guestSize === 'applied' ? 'disks.expand.guestApplied' : 'disks.expand.guestNextStart'), { size: <Data>{sizeText(expanded?.size)}</Data> })}
          </span>
        ) : null}
      </td>
      <td className="px-2 py-1.5 text-xs" data-testid="disk-storage">
        {c ? (
          <>
            <Line>{interpolate(t('disks.storage.claim'), { name: <Data className="font-mono">{c.name}</Data> })}</Line>
            {c.storageClass ? <Line testId="disk-class">{interpolate(t('disks.storage.class'), { name: <Data className="font-mono">{c.storageClass}</Data> })}</Line> : null}
            {c.accessModes.length ? <Line>{interpolate(t('disks.storage.accessModes'), { modes: <Data>{c.accessModes.join(', ')}</Data> })}</Line> : null}
            {c.volumeMode ? <Line>{interpolate(t('disks.storage.volumeMode'), { mode: <Data>{c.volumeMode}</Data> })}</Line> : null}
            {c.phase && c.phase !== 'Bound' ? <Line>{interpolate(t('disks.storage.phase'), { phase: <Data>{c.phase}</Data> })}</Line> : null}
          </>
        ) : (
          muted('—')
        )}
      </td>
      <td className="px-2 py-1.5" data-testid="disk-hotplug" data-hotplug={r.hotpluggable} data-phase={r.volumeStatus?.phase ?? ''}>
        {r.hotpluggable ? t('disks.hotplug.yes') : t('disks.hotplug.no')}
        {r.hotpluggable && r.volumeStatus?.phase ? <Line>{interpolate(t('disks.hotplug.phase'), { phase: <Data>{r.volumeStatus.phase}</Data> })}</Line> : null}
        {dvPhase && dvPhase !== 'Succeeded' ? (
          <Line testId="disk-datavolume">
            {interpolate(t('disks.dataVolume.phase'), { phase: <Data>{dvPhase}</Data> })}
            {dvFailed ? (
              <span className="block text-xs text-red-700">
                <Data>{dvFailed}</Data>
              </span>
            ) : null}
          </Line>
        ) : null}
      </td>
      <td className="px-2 py-1.5" data-testid="disk-guest" data-state={r.guest.kind}>
        {guestText(r.guest, t)}
        {r.guest.kind === 'attaching' && r.guest.message ? (
          <span className="block text-xs text-slate-500">
            <Data>{r.guest.message}</Data>
          </span>
        ) : null}
      </td>
      <td className="px-2 py-1.5">
        <span className="flex flex-wrap gap-2">
          {r.hotpluggable || !r.inSpec ? <OpButton state={canRemove} label={t('disks.remove')} testId="disk-remove" reasonId={`${id}-remove-reason`} onClick={onRemove} /> : null}
          {c ? <OpButton state={canExpand} label={t('disks.expand')} testId="disk-expand" reasonId={`${id}-expand-reason`} onClick={onExpand} /> : null}
        </span>
      </td>
    </tr>
  );
}
