import { z } from 'zod';
import type { KubeObject } from '../shared/kube-object';
import type { ListWire } from '../shared/list-wire';
import type { ListSnapshot } from './fold';

// The envelope is checked; the objects inside are the API server's own, read by the typed selectors.
const wireSchema = z.object({
  lists: z.record(
    z.string(),
    z.object({
      // A check, not a copy: a 10,000-VM list goes through here.
      items: z
        .array(z.unknown())
        .refine((xs) => xs.every((x) => typeof x === 'object' && x !== null && typeof (x as KubeObject).metadata === 'object'), 'an item without metadata')
        .nullish(),
      metadata: z.object({ resourceVersion: z.string().optional() }).loose().optional(),
    }),
  ),
});

/** The browser's ListSnapshot from the list route's body: all scopes' items, and each scope's resourceVersion. */
export function snapshotFromWire<T extends KubeObject>(wire: ListWire<T>): ListSnapshot<T> {
  const parsed = wireSchema.parse(wire) as ListWire<T>;
  const scopes = Object.entries(parsed.lists);
  return {
    items: scopes.flatMap(([, l]) => l.items ?? []),
    resourceVersions: Object.fromEntries(scopes.map(([scope, l]) => [scope, l.metadata?.resourceVersion ?? ''])),
  };
}
