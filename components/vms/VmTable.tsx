'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useI18n } from '../i18n/I18nProvider';
import { StatusBadge } from './StatusBadge';
import { VmActionsMenu } from './VmActionsMenu';
import { formatAge } from '@/lib/i18n/format';
import type { MessageKey } from '@/lib/i18n/locales';
import type { AccessAnswer } from '@/lib/kubevirt/actions';
import { formatBytes } from '@/lib/kubevirt/quantity';
import type { SortColumn, SortState, VmRow } from '@/lib/kubevirt/rows';

// Virtualized: only the rows in view (plus a few) are in the DOM, so 10,000 VMs scroll like 10. Keyboard: the grid
// takes focus; arrows move the active row, Enter opens it, Space selects it.

const ROW_HEIGHT = 44;
const GRID = 'grid grid-cols-[2.5rem_minmax(10rem,2fr)_minmax(7rem,1fr)_minmax(8rem,1fr)_minmax(7rem,1fr)_minmax(8rem,1.2fr)_5rem_6rem_5rem_3rem] items-center gap-2 px-2';

const columns: { id: SortColumn; key: MessageKey }[] = [
  { id: 'name', key: 'list.col.name' },
  { id: 'namespace', key: 'list.col.namespace' },
  { id: 'status', key: 'list.col.status' },
  { id: 'node', key: 'list.col.node' },
  { id: 'ips', key: 'list.col.ips' },
  { id: 'cpu', key: 'list.col.cpu' },
  { id: 'memory', key: 'list.col.memory' },
  { id: 'age', key: 'list.col.age' },
];

interface Props {
  rows: VmRow[];
  sort: SortState;
  onSort: (s: SortState) => void;
  selected: ReadonlySet<string>;
  onToggle: (key: string) => void;
  onToggleAll: () => void;
  activeIndex: number;
  onActiveIndex: (i: number) => void;
  allowed: (key: string) => AccessAnswer;
  now: number;
}

export function VmTable({ rows, sort, onSort, selected, onToggle, onToggleAll, activeIndex, onActiveIndex, allowed, now }: Props) {
  const { t } = useI18n();
  const router = useRouter();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.key));

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, rows.length, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement) !== scrollRef.current) return;
    const last = rows.length - 1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const move = (i: number) => {
      e.preventDefault();
      onActiveIndex(Math.max(0, Math.min(last, i)));
    };
    switch (e.key) {
      case 'ArrowDown':
        return move(activeIndex + 1);
      case 'ArrowUp':
        return move(activeIndex - 1);
      case 'PageDown':
        return move(activeIndex + page);
      case 'PageUp':
        return move(activeIndex - page);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case 'Enter': {
        const r = rows[activeIndex];
        if (r) router.push(`/vms/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`);
        return;
      }
      case ' ': {
        const r = rows[activeIndex];
        if (r) {
          e.preventDefault();
          onToggle(r.key);
        }
        return;
      }
    }
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col rounded border border-slate-200 bg-white">
      <div role="row" className={`${GRID} h-10 border-b border-slate-200 bg-slate-100 text-left text-xs font-semibold uppercase tracking-wide text-slate-600`}>
        <span role="columnheader">
          <input type="checkbox" aria-label={t('list.selectAll')} data-testid="select-all" checked={allSelected} onChange={onToggleAll} />
        </span>
        {columns.map((c) => (
          <span role="columnheader" key={c.id} aria-sort={sort.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button
              type="button"
              data-testid={`sort-${c.id}`}
              title={t('list.sortBy', { column: t(c.key) })}
              className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
              onClick={() => onSort({ column: c.id, direction: sort.column === c.id && sort.direction === 'asc' ? 'desc' : 'asc' })}
            >
              {t(c.key)}
              <span aria-hidden>{sort.column === c.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
            </button>
          </span>
        ))}
        <span role="columnheader" className="sr-only">
          {t('list.col.actions')}
        </span>
      </div>
      <div
        ref={scrollRef}
        role="grid"
        tabIndex={0}
        data-testid="vm-grid"
        aria-rowcount={rows.length}
        aria-activedescendant={activeIndex >= 0 ? `vm-row-${activeIndex}` : undefined}
        aria-label={t('list.title')}
        onKeyDown={onKeyDown}
        onFocus={() => activeIndex < 0 && rows.length && onActiveIndex(0)}
        className="relative min-h-0 flex-1 overflow-auto outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            const active = item.index === activeIndex;
            return (
              <div
                key={r.key}
                id={`vm-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected.has(r.key)}
                data-testid="vm-row"
                data-vm={r.key}
                onClick={() => onActiveIndex(item.index)}
                className={`${GRID} absolute left-0 top-0 w-full border-b border-slate-100 text-sm ${active ? 'bg-sky-50 outline outline-2 -outline-offset-2 outline-sky-400' : selected.has(r.key) ? 'bg-sky-50/60' : 'hover:bg-slate-50'}`}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="gridcell">
                  <input type="checkbox" tabIndex={-1} aria-label={t('list.selectRow', { name: r.name })} checked={selected.has(r.key)} onChange={() => onToggle(r.key)} />
                </span>
                <span role="gridcell" className="truncate" translate="no">
                  <Link tabIndex={-1} className="font-medium text-sky-800 hover:underline" href={`/vms/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`} data-testid="vm-link">
                    {r.name}
                  </Link>
                </span>
                <span role="gridcell" className="truncate text-slate-700" data-testid="vm-namespace" translate="no">
                  {r.namespace}
                </span>
                <span role="gridcell">
                  <StatusBadge status={r.status} />
                </span>
                <span role="gridcell" className="truncate text-slate-700" translate="no">
                  {r.node}
                </span>
                <span role="gridcell" className="truncate font-mono text-xs text-slate-700" title={r.ips.join(', ')} translate="no">
                  {r.ips.join(', ')}
                </span>
                <span role="gridcell" className="text-slate-700">
                  {r.cpu !== undefined ? t('list.cpuValue', { n: r.cpu }) : ''}
                </span>
                <span role="gridcell" className="text-slate-700">
                  {formatBytes(r.memory)}
                </span>
                <span role="gridcell" className="text-slate-700" title={r.vm.metadata?.creationTimestamp}>
                  {formatAge(r.created, now, t)}
                </span>
                <span role="gridcell" className="text-right">
                  <VmActionsMenu vm={r.vm} vmi={r.vmi} allowed={allowed} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
