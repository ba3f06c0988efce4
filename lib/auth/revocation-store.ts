// No 'server-only' marker: server.ts loads the revocation store (through lib/ws) outside Next's bundler.
import { createHash } from 'node:crypto';

// What a store of revoked sessions offers, whatever keeps it (revocations-file.ts: a file in PORTAL_STATE_DIR;
// revocations-shared.ts: a ConfigMap every replica follows). Sessions are named by revocationKey, never by their
// raw id, so nothing that can read the store learns a session id.

export interface RevocationStore {
  // Per request: synchronous and in memory.
  has(key: string, nowS: number): boolean;
  // Resolves once the revocation is where every process that serves these sessions will see it (or, if the store
  // cannot take it, once it is logged and held by this process alone).
  add(key: string, untilS: number): Promise<void>;
  // False until the store has loaded what was revoked before this process started.
  ready(): boolean;
  stop(): void;
}

// 128 bits of SHA-256, base64url (22 characters, valid as a ConfigMap key). A session id is a random UUID, so its
// hash cannot be turned back; a collision would at worst revoke a stranger's session, at odds of about 2^-64 for
// billions of revocations.
export function revocationKey(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url').slice(0, 22);
}

// Entries are kept until the session they name could no longer be used anyway.
export function pruned(entries: Iterable<[string, number]>, nowS: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, until] of entries) if (until > nowS) out.set(k, until);
  return out;
}
