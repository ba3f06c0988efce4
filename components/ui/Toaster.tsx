'use client';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';

// Notifications for the results of actions. Errors stay until dismissed or replaced; successes fade after a while.
export interface Toast {
  id: number;
  tone: 'success' | 'error' | 'info';
  title: ReactNode;
  body?: ReactNode;
}

const ToastContext = createContext<{ push: (t: Omit<Toast, 'id'>) => void } | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (t: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((ts) => [...ts.slice(-4), { ...t, id }]);
      setTimeout(() => dismiss(id), t.tone === 'error' ? 20_000 : 6_000);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ push }), [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <Toasts toasts={toasts} dismiss={dismiss} />
    </ToastContext.Provider>
  );
}

function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  const t = useT();
  const tone = { success: 'border-emerald-500', error: 'border-red-600', info: 'border-sky-500' };
  return (
    <div aria-live="polite" className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2">
      {toasts.map((x) => (
        <div key={x.id} role={x.tone === 'error' ? 'alert' : 'status'} data-testid={`toast-${x.tone}`} className={`rounded border-l-4 bg-white p-3 shadow-lg ${tone[x.tone]}`}>
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium text-slate-900">{x.title}</p>
            <button type="button" aria-label={t('toast.dismiss')} className="text-slate-500 hover:text-slate-900" onClick={() => dismiss(x.id)}>
              ×
            </button>
          </div>
          {x.body ? <div className="mt-1 whitespace-pre-line break-words text-sm text-slate-700">{x.body}</div> : null}
        </div>
      ))}
    </div>
  );
}

export function useToast() {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast outside ToastProvider');
  return ctx.push;
}
