// No 'server-only' marker: server.ts loads the revocation store (through lib/ws) outside Next's bundler.

// A small string map kept in the cluster for the portal's own state (the revoked sessions that every replica must
// agree on): what lib/auth's shared revocation store needs from lib/k8s, and nothing Kubernetes-specific beyond an
// opaque version. Kept apart from its implementation (session-store.ts) so the store's logic is unit-tested
// against a fake of exactly this.

export interface MapSnapshot {
  resourceVersion: string; // opaque: compared for equality only, never ordered
  data: Record<string, string>;
}

export type MapEvent =
  | { type: 'set'; snapshot: MapSnapshot }
  | { type: 'deleted'; resourceVersion: string }
  | { type: 'bookmark'; resourceVersion: string };

export interface SharedMapAccess {
  // The map (undefined: it does not exist) and the version to watch from.
  list(): Promise<{ resourceVersion: string; map?: MapSnapshot }>;
  // The map as it is now, for a write to start from.
  get(): Promise<MapSnapshot | undefined>;
  // Throws MapConflict when it exists already.
  create(data: Record<string, string>): Promise<MapSnapshot>;
  // Only if it is still at `resourceVersion`; throws MapConflict when it changed (or went away) meanwhile.
  replace(data: Record<string, string>, resourceVersion: string): Promise<MapSnapshot>;
  // Follows changes after `resourceVersion` until the server ends the watch (resolves) or the signal aborts.
  // Throws MapGone when that version is too old to resume from: list again.
  watch(resourceVersion: string, signal: AbortSignal, onEvent: (ev: MapEvent) => void): Promise<void>;
}

export class MapConflict extends Error {}
export class MapGone extends Error {}
// Anything else the API server refused or failed (status, and a scrubbed reason for the log).
export class MapError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
