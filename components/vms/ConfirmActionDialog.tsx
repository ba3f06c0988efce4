'use client';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import { useT } from '../i18n/I18nProvider';
import type { VmActionDef } from '@/lib/kubevirt/actions';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// Confirmation for dangerous single-VM actions; deleting a running VM asks for its name to be typed.
export function ConfirmActionDialog({ def, name, typeName, onCancel, onConfirm }: { def: VmActionDef; name: string; typeName: boolean; onCancel: () => void; onConfirm: () => void }) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const ready = !typeName || typed === name;
  const body = interpolate(t(def.confirmKey ?? (def.id === 'forceStop' ? 'action.confirm.forceStop' : typeName ? 'action.confirm.typeName' : 'action.confirm.delete')), { name: <Data className="font-mono">{name}</Data> });
  return (
    <Dialog open onClose={onCancel} title={t('action.confirmTitle', { action: t(def.labelKey), name })} testId="confirm-action">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <p className="mb-4 text-slate-700">{body}</p>
        {typeName ? (
          <label className="mb-4 block text-sm">
            <span className="mb-1 block font-medium">{t('action.confirm.typeNameLabel')}</span>
            <input autoFocus data-testid="confirm-name" className="w-full rounded border border-slate-300 px-2 py-1 font-mono" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </label>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="confirm-submit" disabled={!ready} autoFocus={!typeName} className="rounded bg-red-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
            {t(def.labelKey)}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
