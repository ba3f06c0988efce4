'use client';
// The VNC console: noVNC's RFB on a websocket to the portal's console proxy (which pipes KubeVirt's vnc subresource,
// raw RFB in binary frames, subprotocol plain.kubevirt.io). Loaded only through VncConsoleLazy (next/dynamic,
// ssr: false), so noVNC is in no other page's bundle.
//
// The socket is opened here, not by noVNC, so its close code and reason (which noVNC does not pass on) decide what
// happens next (lib/consoles/vnc-session.ts): reconnect with backoff, or tell the user another viewer holds or took
// the session and offer to take it over.
import RFB from '@novnc/novnc';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { Dialog } from '../../ui/Dialog';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { MAX_TYPED_CHARS, ctrlAltFunctionKey, isLayoutId, planTyping, strokeEvents, type KeyEvent, type LayoutId, type Stroke } from '@/lib/consoles/keysyms';
import { afterClose, freshState, screenshotFileName, vncSocketUrl, type ReconnectState } from '@/lib/consoles/vnc-session';
import { closeAdvice } from '@/lib/shared/console-protocol';
import { apiFetch, refreshSessionOrSignIn } from '@/lib/live/api-client';
import { accessResponse } from '@/lib/shared/access-review';
import { apiPaths } from '@/lib/shared/api-paths';

const PLAIN_STREAM_PROTOCOL = 'plain.kubevirt.io';
/** Pause after each typed character, so the guest keeps up. */
const KEY_DELAY_MS = 15;
const FIT_KEY = 'vnc.fit';
const LAYOUT_KEY = 'vnc.pasteLayout';

type View =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: string; attempt: number; hadSession: boolean }
  | { state: 'disconnected'; reason: string }
  | { state: 'held' }
  | { state: 'taken-over' }
  | { state: 'forbidden' };

/** One deliberate connect: a new id restarts the connection; `preserve: false` is a takeover. */
interface Intent {
  id: number;
  preserve: boolean;
}

function readStored<T>(key: string, parse: (v: string | null) => T): T {
  try {
    return parse(window.localStorage.getItem(key));
  } catch {
    return parse(null);
  }
}

function store(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // private mode or full: the choice just is not remembered
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function useVncAccess(namespace: string, name: string) {
  return useQuery({
    queryKey: ['access', 'vnc', namespace, name],
    staleTime: 30_000,
    retry: 1,
    queryFn: async () => {
      const check = { verb: 'get', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource: 'vnc', namespace, name };
      const res = accessResponse.parse(await apiFetch<unknown>(apiPaths.access, { method: 'POST', body: { checks: [check] } }));
      return res.results[0] ?? { allowed: true };
    },
  });
}

export function VncConsole({ namespace, name, fullWindow = false }: { namespace: string; name: string; fullWindow?: boolean }) {
  const t = useT();
  const frameRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [view, setView] = useState<View>({ state: 'connecting' });
  const [intent, setIntent] = useState<Intent>({ id: 0, preserve: true });
  const [fit, setFit] = useState(true);
  const fitRef = useRef(fit);
  const [fullscreen, setFullscreen] = useState(false);
  const [keysOpen, setKeysOpen] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [typing, setTyping] = useState<{ done: number; total: number } | null>(null);
  const typingJob = useRef<{ cancelled: boolean } | null>(null);
  const access = useVncAccess(namespace, name);
  // Until the review answers, nothing connects; when it cannot be answered the proxy decides.
  const allowed = access.isError ? true : access.data?.allowed;

  useEffect(() => {
    const stored = readStored(FIT_KEY, (v) => v !== 'false');
    fitRef.current = stored;
    setFit(stored);
  }, []);

  // The language may change while connected; that must not reconnect.
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  // The connection, with its retries. Runs again for each deliberate connect (intent) and when the VM changes.
  useEffect(() => {
    if (allowed === undefined) return;
    if (allowed === false) {
      setView({ state: 'forbidden' });
      return;
    }
    const screen = screenRef.current;
    if (!screen) return;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let rfb: RFB | undefined;
    let state: ReconnectState = freshState();
    let refreshedSession = false;

    const open = (preserve: boolean) => {
      if (disposed) return;
      const ws = new WebSocket(vncSocketUrl(window.location, namespace, name, preserve), [PLAIN_STREAM_PROTOCOL]);
      let connectedAt = 0;
      // Registered before noVNC attaches its own handlers, so it runs first; noVNC never sees the code and reason.
      ws.addEventListener('close', (e) => {
        if (disposed) return;
        if (rfbRef.current === rfb) rfbRef.current = null;
        if (typingJob.current) typingJob.current.cancelled = true;
        const connected = connectedAt > 0;
        const reason = e.reason || tRef.current('vnc.reason.closed', { code: e.code });
        if (closeAdvice(e.code) === 'refresh' && !refreshedSession) {
          // The portal session reached its end: refresh it once (or go to sign-in), then connect again.
          refreshedSession = true;
          setView({ state: 'reconnecting', reason, attempt: state.attempt + 1, hadSession: state.hadSession || connected });
          void refreshSessionOrSignIn().then((ok) => {
            if (ok && !disposed) open(true);
          });
          return;
        }
        const d = afterClose(state, { code: e.code, reason: e.reason, connected, connectedMs: connected ? Date.now() - connectedAt : 0 }, Math.random());
        state = d.state;
        if (d.kind === 'retry') {
          setView({ state: 'reconnecting', reason, attempt: state.attempt, hadSession: state.hadSession });
          timer = setTimeout(() => open(true), d.delayMs);
        } else if (d.kind === 'held') setView({ state: 'held' });
        else if (d.kind === 'takenOver') setView({ state: 'taken-over' });
        else setView({ state: 'disconnected', reason });
      });
      const r = new RFB(screen, ws, { shared: true });
      r.scaleViewport = fitRef.current;
      r.background = 'rgb(15, 23, 42)';
      r.addEventListener('connect', () => {
        if (disposed) return;
        connectedAt = Date.now();
        refreshedSession = false;
        setView({ state: 'connected' });
      });
      rfb = r;
      rfbRef.current = r;
    };

    setView({ state: 'connecting' });
    open(intent.preserve);
    return () => {
      disposed = true;
      clearTimeout(timer);
      if (typingJob.current) typingJob.current.cancelled = true;
      if (rfbRef.current === rfb) rfbRef.current = null;
      try {
        rfb?.disconnect();
      } catch {
        // already disconnected
      }
    };
  }, [namespace, name, intent, allowed]);

  useEffect(() => {
    fitRef.current = fit;
    if (rfbRef.current) rfbRef.current.scaleViewport = fit;
  }, [fit]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement !== null && document.fullscreenElement === frameRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const connected = view.state === 'connected';
  const connect = (preserve: boolean) => setIntent((i) => ({ id: i.id + 1, preserve }));

  const toggleFit = () => {
    const next = !fit;
    store(FIT_KEY, String(next));
    setFit(next);
  };

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void frameRef.current?.requestFullscreen().catch(() => undefined);
  };

  const send = (events: KeyEvent[]) => {
    const r = rfbRef.current;
    if (!r) return;
    for (const e of events) r.sendKey(e.keysym, e.code, e.down);
  };

  const focusScreen = () => rfbRef.current?.focus({ preventScroll: true });

  const screenshot = () => {
    const canvas = screenRef.current?.querySelector('canvas');
    if (!canvas) return;
    const file = screenshotFileName(name, new Date());
    canvas.toBlob((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'image/png');
  };

  const typeStrokes = async (strokes: Stroke[]) => {
    if (typingJob.current) typingJob.current.cancelled = true;
    const job = { cancelled: false };
    typingJob.current = job;
    setTyping({ done: 0, total: strokes.length });
    focusScreen();
    for (let i = 0; i < strokes.length; i++) {
      const r = rfbRef.current;
      if (job.cancelled || !r) break;
      for (const e of strokeEvents(strokes[i]!)) r.sendKey(e.keysym, e.code, e.down);
      if (i % 8 === 7 || i === strokes.length - 1) setTyping({ done: i + 1, total: strokes.length });
      await sleep(KEY_DELAY_MS);
    }
    if (typingJob.current === job) {
      typingJob.current = null;
      setTyping(null);
    }
  };

  const stateLine = (): { text: ReactNode; action?: ReactNode } => {
    switch (view.state) {
      case 'connecting':
        return { text: t('vnc.state.connecting') };
      case 'connected':
        return { text: t('vnc.state.connected') };
      case 'reconnecting':
        return {
          text: interpolate(t(view.hadSession ? 'vnc.state.reconnecting' : 'vnc.state.retrying'), { reason: <Data>{view.reason}</Data>, attempt: view.attempt }),
          action: (
            <ToolbarButton testId="vnc-reconnect" onClick={() => connect(true)}>
              {t('vnc.reconnectNow')}
            </ToolbarButton>
          ),
        };
      case 'disconnected':
        return {
          text: interpolate(t('vnc.state.disconnected'), { reason: <Data>{view.reason}</Data> }),
          action: (
            <ToolbarButton testId="vnc-reconnect" onClick={() => connect(true)}>
              {t('vnc.reconnect')}
            </ToolbarButton>
          ),
        };
      case 'held':
      case 'taken-over':
        return {
          text: view.state === 'held' ? t('vnc.state.held') : t('vnc.state.takenOver'),
          action: (
            <>
              <ToolbarButton testId="vnc-takeover" title={t('vnc.takeover.hint')} onClick={() => connect(false)} primary>
                {t('vnc.takeover')}
              </ToolbarButton>
              <ToolbarButton testId="vnc-reconnect" title={t('vnc.reconnect.hint')} onClick={() => connect(true)}>
                {t('vnc.reconnect')}
              </ToolbarButton>
            </>
          ),
        };
      case 'forbidden':
        return { text: t('vnc.state.forbidden') };
    }
  };
  const line = stateLine();
  const tone =
    view.state === 'connected' ? 'bg-emerald-500' : view.state === 'connecting' || view.state === 'reconnecting' ? 'bg-amber-400' : 'bg-red-500';

  return (
    <div
      ref={frameRef}
      data-testid="vnc-console"
      className={`flex flex-col overflow-hidden rounded border border-slate-300 bg-slate-900 ${fullWindow ? 'min-h-0 flex-1' : 'h-[70vh] min-h-[24rem]'} ${fullscreen ? 'rounded-none' : ''}`}
    >
      <div role="group" aria-label={t('vnc.toolbar')} className="flex flex-wrap items-center gap-2 border-b border-slate-700 bg-slate-800 px-2 py-1.5 text-sm text-slate-100">
        <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${tone}`} />
        <p role="status" data-testid="vnc-state" data-state={view.state} className="min-w-0 flex-1 truncate" title={'reason' in view ? view.reason : undefined}>
          {line.text}
        </p>
        {line.action}
        {typing ? (
          <>
            <span data-testid="vnc-typing" className="text-slate-300">
              {t('vnc.typing', { done: typing.done, total: typing.total })}
            </span>
            <ToolbarButton onClick={() => typingJob.current && (typingJob.current.cancelled = true)}>{t('vnc.typing.stop')}</ToolbarButton>
          </>
        ) : null}
        <ToolbarButton pressed={fit} title={t('vnc.fit.hint')} onClick={toggleFit} testId="vnc-fit">
          {t('vnc.fit')}
        </ToolbarButton>
        <ToolbarButton onClick={toggleFullscreen} testId="vnc-fullscreen">
          {fullscreen ? t('vnc.fullscreen.exit') : t('vnc.fullscreen')}
        </ToolbarButton>
        <SendKeysMenu
          open={keysOpen}
          setOpen={setKeysOpen}
          disabled={!connected}
          onCtrlAltDel={() => {
            rfbRef.current?.sendCtrlAltDel();
            focusScreen();
          }}
          onCtrlAltFn={(n) => {
            send(ctrlAltFunctionKey(n));
            focusScreen();
          }}
        />
        <ToolbarButton testId="vnc-paste" disabled={!connected} onClick={() => setPasteOpen(true)}>
          {t('vnc.paste')}
        </ToolbarButton>
        <ToolbarButton testId="vnc-screenshot" disabled={!connected} title={t('vnc.screenshot.hint')} onClick={screenshot}>
          {t('vnc.screenshot')}
        </ToolbarButton>
        {!fullWindow ? (
          <a
            href={`/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/vnc`}
            target="_blank"
            rel="noopener"
            data-testid="vnc-open-window"
            className="rounded px-2 py-1 text-sky-300 hover:bg-slate-700 hover:underline"
          >
            {t('vnc.openWindow')}
          </a>
        ) : null}
      </div>
      <div ref={screenRef} role="region" aria-label={t('vnc.screen', { name })} className="relative min-h-0 flex-1" data-testid="vnc-screen" />
      <PasteDialog
        open={pasteOpen}
        onClose={() => setPasteOpen(false)}
        onType={(strokes) => {
          setPasteOpen(false);
          void typeStrokes(strokes);
        }}
      />
    </div>
  );
}

function ToolbarButton({
  children,
  onClick,
  disabled,
  title,
  testId,
  pressed,
  primary,
}: {
  children: ReactNode;
  onClick: () => void;
  disabled?: boolean;
  title?: string;
  testId?: string;
  pressed?: boolean;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      title={title}
      data-testid={testId}
      aria-pressed={pressed}
      className={`rounded border px-2 py-1 disabled:cursor-not-allowed disabled:opacity-50 ${
        primary ? 'border-sky-400 bg-sky-600 text-white hover:bg-sky-500' : pressed ? 'border-sky-400 bg-slate-700' : 'border-slate-600 hover:bg-slate-700'
      }`}
    >
      {children}
    </button>
  );
}

const FUNCTION_KEYS = Array.from({ length: 12 }, (_, i) => i + 1);

export function SendKeysMenu({
  open,
  setOpen,
  disabled,
  onCtrlAltDel,
  onCtrlAltFn,
}: {
  open: boolean;
  setOpen: (open: boolean) => void;
  disabled: boolean;
  onCtrlAltDel: () => void;
  onCtrlAltFn: (n: number) => void;
}) {
  const t = useT();
  const menuId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onDown = (e: PointerEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open, setOpen]);

  useEffect(() => {
    if (disabled && open) setOpen(false);
  }, [disabled, open, setOpen]);

  const onKeyDown = (e: ReactKeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      wrapRef.current?.querySelector<HTMLButtonElement>('[aria-haspopup]')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items[next]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Tab') setOpen(false);
  };

  const pick = (fn: () => void) => () => {
    setOpen(false);
    fn();
  };
  const item = 'block w-full px-3 py-1 text-left hover:bg-slate-100 focus:bg-slate-100 focus:outline-none';

  return (
    <div ref={wrapRef} className="relative">
      <button
        type="button"
        data-testid="vnc-send-keys"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        className="rounded border border-slate-600 px-2 py-1 hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50"
      >
        {t('vnc.sendKeys')} ▾
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={t('vnc.sendKeys')}
          onKeyDown={onKeyDown}
          className="absolute right-0 z-20 mt-1 max-h-80 w-44 overflow-auto rounded border border-slate-300 bg-white py-1 text-slate-900 shadow-lg"
        >
          <button type="button" role="menuitem" data-testid="vnc-ctrl-alt-del" className={item} onClick={pick(onCtrlAltDel)}>
            {t('vnc.ctrlAltDel')}
          </button>
          {FUNCTION_KEYS.map((n) => (
            <button key={n} type="button" role="menuitem" data-testid={`vnc-ctrl-alt-f${n}`} className={item} onClick={pick(() => onCtrlAltFn(n))}>
              {t('vnc.ctrlAltFn', { n })}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function PasteDialog({ open, onClose, onType }: { open: boolean; onClose: () => void; onType: (strokes: Stroke[]) => void }) {
  const t = useT();
  const textId = useId();
  const layoutId = useId();
  const [text, setText] = useState('');
  const [layout, setLayout] = useState<LayoutId>('us');

  useEffect(() => {
    if (open) setLayout(readStored(LAYOUT_KEY, (v) => (isLayoutId(v) ? v : 'us')));
  }, [open]);

  const count = [...text].length;
  const tooLong = count > MAX_TYPED_CHARS;
  const plan = useMemo(() => (tooLong ? { strokes: [], unsupported: [] } : planTyping(text, layout)), [text, layout, tooLong]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tooLong || plan.strokes.length === 0) return;
    onType(plan.strokes);
    setText('');
  };

  return (
    <Dialog open={open} onClose={onClose} title={t('vnc.paste.title')} testId="vnc-paste-dialog">
      <form onSubmit={submit} className="flex flex-col gap-3 text-sm">
        <p className="text-slate-600">{t('vnc.paste.intro')}</p>
        <label htmlFor={textId} className="font-medium">
          {t('vnc.paste.text')}
        </label>
        <textarea
          id={textId}
          data-testid="vnc-paste-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={6}
          spellCheck={false}
          autoFocus
          className="rounded border border-slate-300 p-2 font-mono"
        />
        <p className="text-slate-500" aria-live="polite">
          {tooLong ? <span className="text-red-700">{t('vnc.paste.tooLong', { max: MAX_TYPED_CHARS, count })}</span> : t('vnc.paste.count', { count })}
        </p>
        {plan.unsupported.length > 0 ? (
          <p className="text-amber-800" data-testid="vnc-paste-unsupported">
            {interpolate(t('vnc.paste.unsupported'), { chars: <Data className="font-mono">{plan.unsupported.join(' ')}</Data> })}
          </p>
        ) : null}
        <label htmlFor={layoutId} className="font-medium">
          {t('vnc.paste.layout')}
        </label>
        <select
          id={layoutId}
          data-testid="vnc-paste-layout"
          value={layout}
          onChange={(e) => {
            if (!isLayoutId(e.target.value)) return;
            setLayout(e.target.value);
            store(LAYOUT_KEY, e.target.value);
          }}
          className="rounded border border-slate-300 p-1"
        >
          <option value="us">{t('vnc.paste.layout.us')}</option>
          <option value="de">{t('vnc.paste.layout.de')}</option>
        </select>
        <div className="mt-2 flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            data-testid="vnc-paste-type"
            disabled={tooLong || plan.strokes.length === 0}
            className="rounded bg-sky-700 px-3 py-1 text-white disabled:cursor-not-allowed disabled:opacity-50"
          >
            {t('vnc.paste.type')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
