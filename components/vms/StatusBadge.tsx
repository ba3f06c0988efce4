'use client';
import { StatusIcon } from '../ui/StatusIcon';
import { useT } from '../i18n/I18nProvider';
import { statusDisplay, type StatusTone } from '@/lib/kubevirt/status';

const toneClass: Record<StatusTone, string> = {
  ok: 'text-emerald-700',
  progress: 'text-sky-700',
  paused: 'text-amber-700',
  stopped: 'text-slate-500',
  error: 'text-red-700',
  unknown: 'text-slate-500',
};

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const d = statusDisplay(status);
  return (
    <span className={`inline-flex items-center gap-1.5 whitespace-nowrap font-medium ${toneClass[d.tone]}`} data-testid="vm-status" data-status={d.status}>
      <StatusIcon icon={d.icon} />
      <span>{t(d.labelKey)}</span>
    </span>
  );
}
