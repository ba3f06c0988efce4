'use client';
import { useI18n } from '../i18n/I18nProvider';
import { Table } from './DefinitionList';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data } from '@/lib/i18n/interpolate';
import type { KubeEvent } from '@/lib/kubevirt/types';

// Events of the VM and of its VMI (they share the name), newest first.
export function VmEvents({ events }: { events: KubeEvent[] }) {
  const { t, locale } = useI18n();
  const relevant = events
    .filter((e) => e.involvedObject?.kind === 'VirtualMachine' || e.involvedObject?.kind === 'VirtualMachineInstance')
    .map((e) => ({ e, at: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '' }))
    .sort((a, b) => b.at.localeCompare(a.at));
  if (!relevant.length)
    return (
      <p className="p-4 text-slate-500" data-testid="events-none">
        {t('detail.events.none')}
      </p>
    );
  return (
    <div className="rounded border border-slate-200 bg-white p-4">
      <Table
        testId="events"
        head={[t('detail.events.type'), t('detail.events.object'), t('detail.events.reason'), t('detail.events.message'), t('detail.events.count'), t('detail.events.last')]}
        rows={relevant.map(({ e, at }) => [
          <span key="type" className={e.type === 'Warning' ? 'font-medium text-amber-700' : ''}>
            {e.type === 'Warning' ? t('event.type.Warning') : t('event.type.Normal')}
          </span>,
          <Data key="kind">{e.involvedObject?.kind}</Data>,
          <Data key="reason">{e.reason}</Data>,
          <Data key="message">{e.message}</Data>,
          e.count ?? 1,
          formatTimestamp(at, locale),
        ])}
      />
    </div>
  );
}
