// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { settings } from '../settings';

// Sessions are stateless encrypted cookies, so signing out alone would leave a copied cookie valid until it
// expires. Each session gets an id at sign-in; signing out records it here and every later request with it is
// refused. Kept in memory and in a file (one portal process; several replicas would share a store instead).

type Store = { loaded: boolean; revoked: Map<string, number> };
const store: Store = ((globalThis as { __portalRevocations?: Store }).__portalRevocations ??= { loaded: false, revoked: new Map() });

function file(): string {
  return resolve(settings().session.stateDir, 'revoked-sessions.json');
}

function load(): void {
  if (store.loaded) return;
  store.loaded = true;
  try {
    if (existsSync(/*turbopackIgnore: true*/ file())) {
      const entries = JSON.parse(readFileSync(/*turbopackIgnore: true*/ file(), 'utf8')) as [string, number][];
      for (const [sid, until] of entries) store.revoked.set(sid, until);
    }
  } catch {
    // A damaged file only loses revocations of sessions that also expire on their own.
  }
}

export function revokeSession(sid: string, untilEpochS: number): void {
  load();
  const now = Date.now() / 1000;
  for (const [k, until] of store.revoked) if (until < now) store.revoked.delete(k);
  store.revoked.set(sid, untilEpochS);
  try {
    mkdirSync(resolve(file(), '..'), { recursive: true, mode: 0o700 });
    writeFileSync(/*turbopackIgnore: true*/ file(), JSON.stringify([...store.revoked]), { mode: 0o600 });
  } catch {
    // In-memory revocation still holds for this process.
  }
}

export function isRevoked(sid: string | undefined): boolean {
  if (!sid) return true;
  load();
  return store.revoked.has(sid);
}
