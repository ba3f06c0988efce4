// The wire format between the portal's list and stream routes and the browser, shared by both sides.

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

// One scope is one list+watch on the API server: a namespace, or '' for all namespaces.
export type ResourceVersions = Record<string, string>;

export interface ListSnapshot<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersions: ResourceVersions;
}

// What GET /api/list sends: each scope's list as the API server serialized it (managedFields removed).
export interface ListWire<T extends KubeObject = KubeObject> {
  lists: Record<string, { items?: T[] | null; metadata?: { resourceVersion?: string } }>;
}

export type StreamEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; scope: string; object: T }
  // The server listed a scope again (after 410 Gone, or because the watch could not resume): replace it whole.
  | { type: 'RELIST'; scope: string; items: T[]; resourceVersion: string }
  // Progress only: the watch of a scope is at this resourceVersion (from a bookmark); no objects changed.
  | { type: 'BOOKMARK'; scope: string; resourceVersion: string }
  // final: the watch of the scope has stopped (refused credentials or permission); otherwise it is being retried.
  | { type: 'ERROR'; scope: string; error: { code: string; message: string }; final?: boolean };
