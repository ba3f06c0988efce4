import { z } from 'zod';
import { objectName } from '../shared/names';
import { vmName } from './create/form';
import { MAX_DESCRIPTION, MAX_FAILURE_DEADLINE_MINUTES } from './snapshots';

// The bodies of the Snapshots tab's routes under /api/vms/{ns}/{name}/: checked there with zod, typed for the
// browser that sends them. Unknown fields are refused (strictObject): a typo is the caller's 400, not ignored.

// POST .../snapshots
export const takeSnapshotRequest = z.strictObject({
  name: objectName,
  description: z.string().max(MAX_DESCRIPTION).optional(),
  failureDeadlineMinutes: z.number().int().min(1).max(MAX_FAILURE_DEADLINE_MINUTES).optional(),
});
export type TakeSnapshotRequest = z.input<typeof takeSnapshotRequest>;

// DELETE .../snapshots/{snapshot}: the uid the page shows, so a snapshot made again under that name is not deleted.
export const deleteSnapshotRequest = z.strictObject({ uid: z.string().max(64).optional() }).default({});

// POST .../restores
export const restoreRequest = z.strictObject({
  snapshot: objectName,
  // Another name restores into a new VM of that name (it must not exist yet); none: the VM itself.
  target: vmName.optional(),
  // The VM is running: stop it first (the restore then waits for it to be stopped). Without it a running VM's
  // restore is refused, since KubeVirt would fail it after a grace period.
  stopFirst: z.boolean().default(false),
});
export type RestoreRequest = z.input<typeof restoreRequest>;

// POST .../clones
export const cloneRequest = z.strictObject({
  target: vmName,
  // Clone from this snapshot of the VM; none: from the VM as it is.
  snapshot: objectName.optional(),
});
export type CloneRequest = z.input<typeof cloneRequest>;

export interface TakeSnapshotResponse {
  snapshot: string;
}
export interface RestoreResponse {
  restore: string;
  target: string;
  /** The route asked the VM to stop first. */
  stopped: boolean;
}
export interface CloneResponse {
  clone: string;
  target: string;
}
