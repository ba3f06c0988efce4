'use client';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useT } from '../i18n/I18nProvider';
import { describeError } from '../vms/describe-error';
import { useTargetNodes } from './use-target-nodes';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { VmActionDef } from '@/lib/kubevirt/actions';
import type { TargetChoice } from '@/lib/kubevirt/migrations';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';
import type { Translate } from '@/lib/i18n/locales';

function optionText(c: TargetChoice, t: Translate): string {
  if (c.ok) return c.tainted ? t('migration.node.withNote', { node: c.name, note: t('migration.node.tainted') }) : c.name;
  return t('migration.node.withNote', { node: c.name, note: t(c.reasonKey) });
}

// The Migrate action's confirmation: where the VM runs now and, for a user who may list nodes, a target node
// (sent as addedNodeSelector kubernetes.io/hostname); by default the scheduler chooses.
export function MigrateDialog({ def, vm, vmi, onCancel, onConfirm }: { def: VmActionDef; vm: VirtualMachine; vmi?: VirtualMachineInstance; onCancel: () => void; onConfirm: (node: string | undefined) => void }) {
  const t = useT();
  const name = vm.metadata?.name ?? '';
  const source = vmi?.status?.nodeName || undefined;
  const nodes = useTargetNodes(source);
  const [node, setNode] = useState('');
  const choices = nodes.state === 'ready' ? nodes.choices : [];
  const chosen = choices.find((c) => c.name === node && c.ok) ? node : '';

  return (
    <Dialog open onClose={onCancel} title={t('migration.dialog.title', { name })} testId="migrate-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(chosen || undefined);
        }}
      >
        <p className="mb-2 text-slate-700">{t('migration.dialog.intro')}</p>
        {source ? <p className="mb-4 text-sm text-slate-600">{interpolate(t('migration.dialog.runsOn'), { node: <Data className="font-mono">{source}</Data> })}</p> : null}
        <label className="mb-2 block text-sm">
          <span className="mb-1 block font-medium">{t('migration.dialog.node')}</span>
          <select
            data-testid="migrate-node"
            className="w-full rounded border border-slate-300 px-2 py-1"
            value={chosen}
            disabled={nodes.state !== 'ready'}
            onChange={(e) => setNode(e.target.value)}
          >
            <option value="">{t('migration.dialog.anyNode')}</option>
            {choices.map((c) => (
              <option key={c.name} value={c.name} disabled={!c.ok} translate="no">
                {optionText(c, t)}
              </option>
            ))}
          </select>
        </label>
        <p className="mb-4 min-h-5 text-xs text-slate-500" data-testid="migrate-nodes-note" data-state={nodes.state}>
          {nodes.state === 'hidden'
            ? t('migration.dialog.nodesHidden')
            : nodes.state === 'checking' || nodes.state === 'loading'
              ? t('migration.dialog.nodesLoading')
              : nodes.state === 'failed'
                ? (() => {
                    const { summary, reason } = describeError(nodes.error, t);
                    return interpolate(t('migration.dialog.nodesFailed'), { reason: reason ? <Data>{reason}</Data> : summary });
                  })()
                : null}
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="migrate-submit" autoFocus className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white">
            {t(def.labelKey)}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
