'use client';
import '@xterm/xterm/css/xterm.css';
import { ClipboardAddon, type IClipboardProvider } from '@xterm/addon-clipboard';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ConsoleConnection, type ConsoleState, type SocketLike } from '@/lib/consoles/connection';
import { describeClose } from '@/lib/consoles/describe';
import { diagnoseConsole } from '@/lib/consoles/diagnose';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { consolePath, consoleSocketUrl } from '@/lib/shared/console-protocol';

// A VM's serial console: xterm.js on the portal's console websocket (lib/shared/console-protocol.ts). The guest's
// bytes go to the terminal as they come; keystrokes and pastes go back as binary frames. The connection
// (lib/consoles/connection.ts) reconnects by itself after an unexpected close (a live migration moves the VMI to
// another node) and stops after a refusal or the session's end. The terminal takes focus; Ctrl+] (or the "Leave
// console" button) gives it back to the page, since Tab and Escape belong to the guest. Loaded only through
// SerialConsoleLoader (next/dynamic, no SSR), so other pages do not carry xterm.js.

export interface SerialConsoleProps {
  namespace: string;
  name: string;
  autoFocus?: boolean;
  className?: string;
}

// The guest may set the clipboard (OSC 52, as terminals allow) but never read it: a VM must not see what the user
// copied elsewhere.
const writeOnlyClipboard: IClipboardProvider = {
  readText: () => '',
  writeText: async (_selection, text) => {
    await navigator.clipboard?.writeText(text);
  },
};

const browserClock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => window.setTimeout(fn, ms),
  clearTimeout: (h: unknown) => window.clearTimeout(h as number),
};

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [active]);
  return now;
}

export default function SerialConsole({ namespace, name, autoFocus = true, className = '' }: SerialConsoleProps) {
  const t = useT();
  const hostRef = useRef<HTMLDivElement>(null);
  const barRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const connRef = useRef<ConsoleConnection | null>(null);
  const [state, setState] = useState<ConsoleState>({ kind: 'connecting', attempt: 0 });
  const [hasSelection, setHasSelection] = useState(false);
  const [clipboardError, setClipboardError] = useState(false);
  const now = useNow(state.kind === 'reconnecting');

  const leave = useCallback(() => {
    termRef.current?.blur();
    barRef.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  }, []);

  const paste = useCallback(async () => {
    const term = termRef.current;
    if (!term) return;
    try {
      const text = await navigator.clipboard.readText();
      setClipboardError(false);
      // As typed: xterm turns line ends into \r (and brackets the paste when the guest asked for that); the bytes
      // leave through onData like keystrokes.
      if (text) term.paste(text);
    } catch {
      setClipboardError(true);
    }
    term.focus();
  }, []);

  const copy = useCallback(async () => {
    const term = termRef.current;
    if (!term?.hasSelection()) return;
    try {
      await navigator.clipboard.writeText(term.getSelection());
      setClipboardError(false);
    } catch {
      setClipboardError(true);
    }
  }, []);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      scrollback: 5000,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 14,
      theme: { background: '#0f172a', foreground: '#e2e8f0' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(new ClipboardAddon(undefined, writeOnlyClipboard));
    term.open(host);
    termRef.current = term;
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet (a hidden tab); the next resize fits it.
      }
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(host);

    const conn = new ConsoleConnection({
      url: consoleSocketUrl(window.location, consolePath('serial', namespace, name)),
      openSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
      diagnose: () => diagnoseConsole({ kind: 'serial', namespace, name, pageOrigin: window.location.origin, fetch: (u, init) => fetch(u, init) }),
      // next-auth's session endpoint refreshes the tokens and writes the new cookie the next handshake carries.
      refreshSession: async () => {
        await fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' });
      },
      clock: browserClock,
      random: Math.random,
      onState: setState,
      onData: (bytes) => term.write(bytes),
    });
    connRef.current = conn;
    const encoder = new TextEncoder();
    const typed = term.onData((data) => conn.send(encoder.encode(data)));
    // Some mouse reports are not UTF-8: xterm hands them over as one character per byte.
    const binary = term.onBinary((data) => conn.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    const selection = term.onSelectionChange(() => setHasSelection(term.hasSelection()));
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      if (e.ctrlKey && !e.altKey && !e.metaKey && (e.key === ']' || e.code === 'BracketRight')) {
        e.preventDefault();
        leave();
        return false;
      }
      if (e.ctrlKey && e.shiftKey && !e.altKey && (e.code === 'KeyV' || e.key === 'V')) {
        // Also keeps the browser's own paste from typing the text a second time.
        e.preventDefault();
        void paste();
        return false;
      }
      if (e.ctrlKey && e.shiftKey && !e.altKey && (e.code === 'KeyC' || e.key === 'C')) {
        e.preventDefault();
        void copy();
        return false;
      }
      return true;
    });
    conn.start();
    if (autoFocus) term.focus();
    return () => {
      conn.stop();
      connRef.current = null;
      typed.dispose();
      binary.dispose();
      selection.dispose();
      observer.disconnect();
      termRef.current = null;
      term.dispose();
    };
  }, [namespace, name, autoFocus, leave, paste, copy]);

  const vm = `${namespace}/${name}`;
  let line: string;
  let detail: string | undefined;
  if (state.kind === 'connecting') {
    line = state.attempt > 0 ? t('console.state.retrying', { attempt: state.attempt }) : t('console.state.connecting');
  } else if (state.kind === 'connected') {
    line = t('console.state.connected');
  } else {
    const d = describeClose(state.last);
    const reason = t(d.key, d.vars);
    detail = d.detail;
    line =
      state.kind === 'reconnecting'
        ? `${t('console.state.reconnecting', { attempt: state.attempt, seconds: Math.max(0, Math.ceil((state.retryAt - now) / 1000)) })} · ${t('console.state.lastClose', { reason })}`
        : t('console.state.disconnected', { reason });
  }
  const canReconnect = state.kind === 'disconnected' || state.kind === 'reconnecting';

  return (
    <div data-testid="serial-console" className={`flex min-h-0 flex-col overflow-hidden rounded border border-slate-700 bg-slate-900 ${className}`}>
      <div
        ref={hostRef}
        className="min-h-0 flex-1 p-1"
        role="group"
        aria-label={t('console.terminalLabel', { vm })}
        onMouseDown={() => termRef.current?.focus()}
      />
      <div ref={barRef} className="flex flex-wrap items-center gap-2 border-t border-slate-700 bg-slate-800 px-2 py-1 text-sm text-slate-100">
        <p role="status" aria-live="polite" data-testid="console-state" data-state={state.kind} className="mr-auto min-w-0">
          <span>{line}</span>
          {detail ? <span className="ml-2 text-slate-300">{interpolate(t('console.state.detail'), { detail: <Data>{detail}</Data> })}</span> : null}
          {clipboardError ? <span className="ml-2 text-amber-300">{t('console.clipboardDenied')}</span> : null}
        </p>
        <button
          type="button"
          className="rounded px-2 py-0.5 hover:bg-slate-700 disabled:opacity-50"
          onClick={() => void copy()}
          disabled={!hasSelection}
          title={t('console.copyHint')}
        >
          {t('console.copy')}
        </button>
        <button
          type="button"
          data-testid="console-paste"
          className="rounded px-2 py-0.5 hover:bg-slate-700 disabled:opacity-50"
          onClick={() => void paste()}
          disabled={state.kind !== 'connected'}
          title={t('console.pasteHint')}
        >
          {t('console.paste')}
        </button>
        {canReconnect ? (
          <button type="button" data-testid="console-reconnect" className="rounded bg-sky-700 px-2 py-0.5 hover:bg-sky-600" onClick={() => connRef.current?.reconnectNow()}>
            {t('console.reconnect')}
          </button>
        ) : null}
        <button type="button" data-testid="console-leave" className="rounded px-2 py-0.5 hover:bg-slate-700" onClick={leave} title={t('console.leaveHint')}>
          {t('console.leave')}
        </button>
        <span className="w-full text-xs text-slate-400 sm:w-auto">{t('console.leaveHint')}</span>
      </div>
    </div>
  );
}
