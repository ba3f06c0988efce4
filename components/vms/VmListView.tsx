'use client';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { BulkActions } from './BulkActions';
import { CreateVmLink } from './CreateVmLink';
import { QuotaPanel } from '../quota/QuotaPanel';
import { ErrorPanel } from './ErrorPanel';
import { LiveIndicator } from './LiveIndicator';
import { VmFilters } from './VmFilters';
import { VmTable } from './VmTable';
import { useActionAccess, useCreateAccess } from './use-access';
import { useNamespaces } from './use-namespaces';
import { useNow } from './use-now';
import { combineLive } from '@/lib/live/live-status';
import { useLiveList } from '@/lib/live/use-live-list';
import { emptyFilter, filterRows, joinRows, sortRows, type RowFilter, type SortState } from '@/lib/kubevirt/rows';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';

export function VmListView() {
  const t = useT();
  const namespaces = useNamespaces();
  const vms = useLiveList<VirtualMachine>('virtualmachines', { enabled: namespaces.isSuccess });
  const vmis = useLiveList<VirtualMachineInstance>('virtualmachineinstances', { enabled: namespaces.isSuccess });
  const allowed = useActionAccess(namespaces.data?.namespaces ?? []);
  const creatable = useCreateAccess(namespaces.data?.namespaces ?? []);
  const live = useMemo(() => combineLive([vms.live, vmis.live]), [vms.live, vmis.live]);
  const now = useNow();

  const [filter, setFilter] = useState<RowFilter>(emptyFilter);
  const deferredFilter = useDeferredValue(filter);
  const [sort, setSort] = useState<SortState>({ column: 'name', direction: 'asc' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activeIndex, setActiveIndex] = useState(-1);
  const searchRef = useRef<HTMLInputElement>(null);

  const all = useMemo(() => joinRows(vms.items, vmis.items), [vms.items, vmis.items]);
  const rows = useMemo(() => sortRows(filterRows(all, deferredFilter), sort), [all, deferredFilter, sort]);
  const nodes = useMemo(() => [...new Set(all.map((r) => r.node).filter(Boolean))].sort(), [all]);
  const selectedRows = useMemo(() => all.filter((r) => selected.has(r.key)), [all, selected]);

  // "/" jumps to the search box from anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (e.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const toggle = useCallback((key: string) => setSelected((s) => { const n = new Set(s); if (n.has(key)) n.delete(key); else n.add(key); return n; }), []);
  const toggleAll = useCallback(() => setSelected((s) => (rows.length && rows.every((r) => s.has(r.key)) ? new Set() : new Set(rows.map((r) => r.key)))), [rows]);

  const error = namespaces.error ?? vms.error ?? vmis.error;
  // "Create VM" opens in the namespace the list is narrowed to, or the only one the user may create in.
  const createIn = filter.namespaces.length === 1 && creatable.allowedIn(filter.namespaces[0]!) ? filter.namespaces[0] : creatable.allowed.length === 1 ? creatable.allowed[0] : undefined;
  const loading = namespaces.isPending || vms.isPending;
  // The quota of the one namespace the list shows (narrowed to it, or the only one the user works in).
  const quotaIn = filter.namespaces.length === 1 ? filter.namespaces[0] : namespaces.data?.namespaces.length === 1 ? namespaces.data.namespaces[0] : undefined;

  return (
    // A fixed height, not flex-1: in the shell's column (min-h-screen, no definite height) a flex-basis of 0% is
    // resolved as the content's height, so the grid grew to all its rows, the page scrolled instead, and the virtualizer
    // rendered every row (found by the list-page benchmark).
    <div className="flex min-h-0 flex-col gap-3 p-4" style={{ height: 'calc(100vh - 3.5rem)' }}>
      <div className="flex items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t('list.title')}</h1>
        {!loading ? (
          <span className="text-sm text-slate-600" data-testid="vm-count">
            {t('list.count', { shown: rows.length, total: all.length })}
          </span>
        ) : null}
        <LiveIndicator status={live} shown={vms.isSuccess} />
        {creatable.allowed.length ? (
          <div className="ml-auto">
            <CreateVmLink query={{ namespace: createIn }} />
          </div>
        ) : null}
      </div>
      <VmFilters ref={searchRef} filter={filter} onChange={setFilter} namespaces={namespaces.data?.namespaces ?? []} nodes={nodes} />
      {quotaIn ? <QuotaPanel key={quotaIn} namespace={quotaIn} compact /> : null}
      <p className="text-xs text-slate-500">{t('list.keyboardHint')}</p>
      {selectedRows.length ? <BulkActions rows={selectedRows} allowed={allowed} onDone={() => setSelected(new Set())} /> : null}
      {error ? (
        <ErrorPanel error={error} onRetry={() => void (namespaces.error ? namespaces.refetch() : vms.refetch())} />
      ) : loading ? (
        <p className="p-4 text-slate-600">{t('common.loading')}</p>
      ) : namespaces.data && namespaces.data.namespaces.length === 0 ? (
        <p className="p-4 text-slate-600" data-testid="no-namespaces">{t('list.noNamespaces')}</p>
      ) : (
        <>
          <VmTable rows={rows} sort={sort} onSort={setSort} selected={selected} onToggle={toggle} onToggleAll={toggleAll} activeIndex={Math.min(activeIndex, rows.length - 1)} onActiveIndex={setActiveIndex} allowed={allowed} now={now} />
          {rows.length === 0 ? <p className="p-2 text-slate-600" data-testid="list-empty">{all.length ? t('list.noMatch') : t('list.empty')}</p> : null}
          {all.length === 0 && creatable.allowed.length ? (
            <div className="p-2">
              <CreateVmLink query={{ namespace: createIn }} label={t('create.entry.emptyCreate')} testId="create-vm-empty" />
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
