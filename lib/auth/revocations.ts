// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { resolve } from 'node:path';
import { sessionStoreMap } from '../k8s/session-store';
import { settings } from '../settings';
import { revocationKey, type RevocationStore } from './revocation-store';
import { FileRevocations } from './revocations-file';
import { SharedRevocations } from './revocations-shared';

// Sessions are stateless encrypted cookies, so signing out alone would leave a copied cookie valid until it
// expires. Each session gets an id at sign-in; signing out records it as revoked and every later request with it
// is refused. Where the record is kept is PORTAL_SESSION_STORE: `file` (PORTAL_STATE_DIR, one host) or
// `kubernetes` (a ConfigMap every replica follows; see revocations-shared.ts for how soon the others learn it).
//
// One store per process, on globalThis: Next's route handlers and the console websockets (lib/ws, loaded by
// server.ts outside Next's bundle) are separate copies of this module and must consult the same one.

type Holder = { store?: RevocationStore };
const holder: Holder = ((globalThis as { __portalRevocations?: Holder }).__portalRevocations ??= {});

function store(): RevocationStore {
  if (!holder.store) {
    const { session } = settings();
    holder.store =
      session.store.kind === 'kubernetes'
        ? new SharedRevocations({ access: sessionStoreMap(session.store.namespace, session.store.name) })
        : new FileRevocations(resolve(/*turbopackIgnore: true*/ session.stateDir, 'revoked-sessions'), resolve(/*turbopackIgnore: true*/ session.stateDir, 'revoked-sessions.json'));
  }
  return holder.store;
}

/** Opens the store (for `kubernetes`: lists and starts following the map). server.ts calls it at start. */
export function startRevocations(): void {
  store();
}

/** Whether the store has loaded the revocations made before this process started (server.ts's readiness). */
export function revocationsReady(): boolean {
  return store().ready();
}

/** Resolves once the revocation is in the store every replica reads (see RevocationStore.add). */
export function revokeSession(sid: string, untilEpochS: number): Promise<void> {
  return store().add(revocationKey(sid), Math.ceil(untilEpochS));
}

export function isRevoked(sid: string | undefined): boolean {
  if (!sid) return true;
  return store().has(revocationKey(sid), Date.now() / 1000);
}
