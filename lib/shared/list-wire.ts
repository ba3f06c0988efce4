import type { KubeObject } from './kube-object';

// A list as the API server sends it (Go writes an empty list's items as null).
export interface KubeList<T extends KubeObject = KubeObject> {
  metadata?: { resourceVersion?: string };
  items?: T[] | null;
}

// What GET /api/list sends: each scope's list as the API server serialized it (managedFields removed), under its
// scope, so the server passes bytes through and the browser joins the scopes.
export interface ListWire<T extends KubeObject = KubeObject> {
  lists: Record<string, KubeList<T>>;
}
