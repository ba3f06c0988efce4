import type { KubeObject, ResourceVersions } from '../shared/kube-object';
import type { StreamEvent } from '../shared/live-protocol';

// Folds watch events into a cached list. Pure (the caller stores the result in TanStack Query), so it is
// unit-tested without a browser. Objects are keyed by namespace/name; resourceVersions are opaque strings and are
// never compared, only recorded: event order from the server is the order of truth.

// A live list as the browser's cache holds it: every scope's objects together, and each scope's version.
export interface ListSnapshot<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersions: ResourceVersions;
}

function objectKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function inScope(o: KubeObject, scope: string): boolean {
  return scope === '' || o.metadata?.namespace === scope;
}

export function foldEvents<T extends KubeObject>(state: ListSnapshot<T> | undefined, events: StreamEvent<T>[]): ListSnapshot<T> | undefined {
  if (!state || events.length === 0) return state;
  // One Map for the whole batch: a burst of thousands of events costs one copy of the list, not one per event.
  const byKey = new Map<string, T>();
  for (const item of state.items) byKey.set(objectKey(item), item);
  const resourceVersions = { ...state.resourceVersions };
  let changed = false;

  for (const ev of events) {
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
        byKey.set(objectKey(ev.object), ev.object);
        if (ev.object.metadata?.resourceVersion) resourceVersions[ev.scope] = ev.object.metadata.resourceVersion;
        changed = true;
        break;
      case 'DELETED':
        changed = byKey.delete(objectKey(ev.object)) || changed;
        if (ev.object.metadata?.resourceVersion) resourceVersions[ev.scope] = ev.object.metadata.resourceVersion;
        break;
      case 'RELIST':
        for (const [key, item] of byKey) if (inScope(item, ev.scope)) byKey.delete(key);
        for (const item of ev.items) byKey.set(objectKey(item), item);
        resourceVersions[ev.scope] = ev.resourceVersion;
        changed = true;
        break;
      case 'BOOKMARK':
        resourceVersions[ev.scope] = ev.resourceVersion;
        break;
      case 'ERROR':
        break;
    }
  }
  if (!changed) return { items: state.items, resourceVersions };
  return { items: [...byKey.values()], resourceVersions };
}
