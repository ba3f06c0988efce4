'use client';
import { useCallback, useSyncExternalStore } from 'react';

// Restores this browser tab started, and whether the VM is to be started once each is done. Kept in sessionStorage
// so switching the page's tabs, or reloading, does not forget them; another tab or user does not start the VM.

export type StartState = 'none' | 'waiting' | 'starting' | 'started' | 'failed' | 'skipped';

export interface RestoreIntent {
  startAfter: boolean;
  start: StartState;
}

const KEY = 'kubevirt-portal:restores';
const listeners = new Set<() => void>();
let cache: { raw: string | null; value: Record<string, RestoreIntent> } = { raw: null, value: {} };

function read(): Record<string, RestoreIntent> {
  const raw = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(KEY);
  if (raw === cache.raw) return cache.value;
  let value: Record<string, RestoreIntent> = {};
  try {
    value = raw ? (JSON.parse(raw) as Record<string, RestoreIntent>) : {};
  } catch {
    value = {};
  }
  cache = { raw, value };
  return value;
}

function write(next: Record<string, RestoreIntent>) {
  sessionStorage.setItem(KEY, JSON.stringify(next));
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: Record<string, RestoreIntent> = {};

export const intentKey = (namespace: string, restore: string) => `${namespace}/${restore}`;

export function useRestoreIntents() {
  const intents = useSyncExternalStore(subscribe, read, () => EMPTY);
  const set = useCallback((key: string, intent: RestoreIntent | undefined) => {
    const next = { ...read() };
    if (intent) next[key] = intent;
    else delete next[key];
    write(next);
  }, []);
  return { intents, set };
}
