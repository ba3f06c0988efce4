'use client';
import { useRef, type ReactNode } from 'react';

// ARIA tabs with automatic activation: arrow keys, Home and End move between tabs and show each; only the chosen
// tab is in the Tab order.
export function Tabs<T extends string>({
  label,
  tabs,
  value,
  onChange,
  idPrefix,
  children,
}: {
  label: string;
  tabs: { id: T; title: ReactNode }[];
  value: T;
  onChange: (id: T) => void;
  idPrefix: string;
  children: ReactNode;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = tabs.findIndex((x) => x.id === value);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : undefined;
    if (next === undefined || !tabs.length) return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    onChange(tab.id);
    list.current?.querySelector<HTMLButtonElement>(`#${CSS.escape(`${idPrefix}-tab-${tab.id}`)}`)?.focus();
  };
  return (
    <div>
      <div ref={list} role="tablist" aria-label={label} className="flex flex-wrap gap-1 border-b border-slate-200" onKeyDown={onKeyDown}>
        {tabs.map((x) => (
          <button
            key={x.id}
            id={`${idPrefix}-tab-${x.id}`}
            type="button"
            role="tab"
            aria-selected={x.id === value}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={x.id === value ? 0 : -1}
            data-testid={`${idPrefix}-tab-${x.id}`}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${x.id === value ? 'border-sky-700 font-medium text-sky-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
            onClick={() => onChange(x.id)}
          >
            {x.title}
          </button>
        ))}
      </div>
      <div id={`${idPrefix}-panel`} role="tabpanel" aria-labelledby={`${idPrefix}-tab-${value}`} className="pt-3">
        {children}
      </div>
    </div>
  );
}
