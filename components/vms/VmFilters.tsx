'use client';
import { forwardRef } from 'react';
import { useT } from '../i18n/I18nProvider';
import { KNOWN_STATUSES } from '@/lib/kubevirt/status';
import { emptyFilter, type RowFilter } from '@/lib/kubevirt/rows';

interface Props {
  filter: RowFilter;
  onChange: (f: RowFilter) => void;
  namespaces: string[];
  nodes: string[];
}

// Options without a render function are data (namespace and node names) and are not translated.
function Select({ label, value, options, onChange, testId, render }: { label: string; value: string; options: string[]; onChange: (v: string) => void; testId: string; render?: (v: string) => string }) {
  const t = useT();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span className="text-slate-600">{label}</span>
      <select data-testid={testId} className="rounded border border-slate-300 bg-white px-2 py-1" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('list.filter.all')}</option>
        {options.map((o) => (
          <option key={o} value={o} translate={render ? undefined : 'no'}>
            {render ? render(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
}

export const VmFilters = forwardRef<HTMLInputElement, Props>(function VmFilters({ filter, onChange, namespaces, nodes }, searchRef) {
  const t = useT();
  const set = (patch: Partial<RowFilter>) => onChange({ ...filter, ...patch });
  const active = filter.text || filter.statuses.length || filter.namespaces.length || filter.nodes.length || filter.label;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="flex min-w-64 flex-1 items-center">
        <span className="sr-only">{t('list.searchLabel')}</span>
        <input
          ref={searchRef}
          type="search"
          data-testid="vm-search"
          placeholder={t('list.search')}
          className="w-full rounded border border-slate-300 px-3 py-1.5"
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
        />
      </label>
      <Select label={t('list.filter.status')} testId="filter-status" value={filter.statuses[0] ?? ''} options={[...KNOWN_STATUSES]} render={(s) => t(`status.${s as (typeof KNOWN_STATUSES)[number]}`)} onChange={(v) => set({ statuses: v ? [v] : [] })} />
      <Select label={t('list.filter.namespace')} testId="filter-namespace" value={filter.namespaces[0] ?? ''} options={namespaces} onChange={(v) => set({ namespaces: v ? [v] : [] })} />
      <Select label={t('list.filter.node')} testId="filter-node" value={filter.nodes[0] ?? ''} options={nodes} onChange={(v) => set({ nodes: v ? [v] : [] })} />
      <label className="flex items-center gap-1 text-sm">
        <span className="text-slate-600">{t('list.filter.label')}</span>
        <input data-testid="filter-label" className="w-36 rounded border border-slate-300 px-2 py-1" placeholder={t('list.filter.labelPlaceholder')} value={filter.label} onChange={(e) => set({ label: e.target.value })} />
      </label>
      {active ? (
        <button type="button" className="text-sm text-sky-700 hover:underline" onClick={() => onChange(emptyFilter)}>
          {t('list.filter.clear')}
        </button>
      ) : null}
    </div>
  );
});
