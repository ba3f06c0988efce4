'use client';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { useVmAction, type VmActionParams } from './use-vm-action';
import { MigrateDialog } from '../migrations/MigrateDialog';
import { describeError } from './describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { menuEntries, needsTypedName, vmState, type AccessAnswer, type MenuEntry, type VmActionDef } from '@/lib/kubevirt/actions';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';
import type { Translate } from '@/lib/i18n/locales';

function reasonText(entry: MenuEntry, t: Translate): string | undefined {
  if (entry.enabled) return undefined;
  const r = entry.reason;
  switch (r.key) {
    case 'reason.forbidden':
      return t('reason.forbidden', { verb: r.verb, resource: r.resource });
    case 'reason.accessFailed': {
      const { summary, reason } = describeError(r.error, t);
      return t('reason.accessFailed', { reason: reason ?? summary });
    }
    default:
      return t(r.key, 'vars' in r ? r.vars : undefined);
  }
}

// The same reason for display: the API server's words inside it are data, not to be translated.
export function reasonNode(entry: MenuEntry, t: Translate): React.ReactNode {
  // The verb and resource of a refused access review are Kubernetes' own names: data in any language.
  if (!entry.enabled && entry.reason.key === 'reason.forbidden') {
    return interpolate(t('reason.forbidden'), { verb: <Data>{entry.reason.verb}</Data>, resource: <Data>{entry.reason.resource}</Data> });
  }
  if (!entry.enabled && entry.reason.key === 'reason.accessFailed') {
    const { summary, reason } = describeError(entry.reason.error, t);
    return reason ? interpolate(t('reason.accessFailed'), { reason: <Data>{reason}</Data> }) : t('reason.accessFailed', { reason: summary });
  }
  // Names in a reason (a disk, its claim) are data.
  if (!entry.enabled && 'vars' in entry.reason && entry.reason.vars) {
    return interpolate(t(entry.reason.key), Object.fromEntries(Object.entries(entry.reason.vars).map(([k, v]) => [k, <Data key={k}>{v}</Data>])));
  }
  return reasonText(entry, t);
}

// The one renderer of the declared VM actions: disabled entries stay visible and say why. migrations: the VM's
// namespace's migrations, where the page follows them (a migration is then known before it starts copying).
export function VmActionsMenu({
  vm,
  vmi,
  allowed,
  migrations,
  variant = 'row',
}: {
  vm: VirtualMachine;
  vmi?: VirtualMachineInstance;
  allowed: (key: string) => AccessAnswer;
  migrations?: readonly VirtualMachineInstanceMigration[];
  variant?: 'row' | 'page';
}) {
  const t = useT();
  const run = useVmAction();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<VmActionDef | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const name = vm.metadata?.name ?? '';
  const entries = open ? menuEntries(vm, vmi, allowed, migrations) : [];

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLButtonElement>('[role=menuitem]:not([aria-disabled=true])')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  // A cancel names the migration the page shows; without the page's migrations the route finds the VM's own.
  const paramsFor = (def: VmActionDef): VmActionParams | undefined => {
    const migration = def.target === 'activeMigration' ? vmState(vm, vmi, migrations).migration?.name : undefined;
    return migration ? { migration } : undefined;
  };
  const execute = async (def: VmActionDef, params?: VmActionParams) => {
    setConfirming(null);
    setBusy(true);
    await run(def, vm, params);
    setBusy(false);
  };
  const choose = (def: VmActionDef) => {
    setOpen(false);
    if (def.confirm === 'none') void execute(def);
    else setConfirming(def);
  };
  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  return (
    <div ref={root} className="relative inline-block text-left" onKeyDown={open ? onMenuKey : undefined}>
      <button
        type="button"
        data-testid="vm-actions"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('action.menuFor', { name })}
        disabled={busy}
        className={variant === 'page' ? 'rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50' : 'rounded px-2 py-0.5 text-slate-600 hover:bg-slate-200 disabled:opacity-50'}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        {variant === 'page' ? t('action.menu') : '⋮'}
      </button>
      {open ? (
        <div role="menu" aria-label={t('action.menuFor', { name })} className="absolute right-0 z-30 mt-1 w-72 rounded border border-slate-200 bg-white py-1 shadow-lg">
          {entries.map((entry) => {
            const reason = reasonText(entry, t);
            return (
              <button
                key={entry.def.id}
                type="button"
                role="menuitem"
                data-testid={`action-${entry.def.id}`}
                aria-disabled={!entry.enabled}
                title={reason}
                className={`block w-full px-3 py-1.5 text-left text-sm ${entry.enabled ? (entry.def.danger ? 'text-red-700 hover:bg-red-50' : 'hover:bg-slate-100') : 'cursor-not-allowed text-slate-400'}`}
                onClick={(e) => {
                  e.stopPropagation();
                  if (entry.enabled) choose(entry.def);
                }}
              >
                <span className="block">{t(entry.def.labelKey)}</span>
                {reason ? (
                  <span className="block text-xs text-slate-500" data-testid="action-reason">
                    {reasonNode(entry, t)}
                  </span>
                ) : null}
              </button>
            );
          })}
        </div>
      ) : null}
      {confirming?.confirm === 'migrate' ? (
        <MigrateDialog def={confirming} vm={vm} vmi={vmi} onCancel={() => setConfirming(null)} onConfirm={(node) => void execute(confirming, node ? { node } : {})} />
      ) : confirming ? (
        <ConfirmActionDialog def={confirming} name={name} typeName={needsTypedName(confirming, vmState(vm, vmi))} onCancel={() => setConfirming(null)} onConfirm={() => void execute(confirming, paramsFor(confirming))} />
      ) : null}
    </div>
  );
}
