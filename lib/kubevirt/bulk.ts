import { accessKey, vmState, type AccessAnswer, type VmActionDef } from './actions';
import type { VmRow } from './rows';

export interface BulkSplit {
  /** Allowed, and the action applies to the VM as it is now. */
  targets: VmRow[];
  /** Not allowed, its access review failed, or the action does not apply (a stopped VM for Stop). */
  skipped: VmRow[];
  /** Its namespace's access review has not answered yet: neither a target nor skipped. */
  checking: VmRow[];
}

// Which of the selected VMs a bulk action acts on. A review still being asked is kept apart from a refusal: the
// confirmation waits for it rather than telling the user that a VM they may change is not theirs to change.
export function splitForBulk(rows: readonly VmRow[], def: VmActionDef, allowed: (key: string) => AccessAnswer): BulkSplit {
  const split: BulkSplit = { targets: [], skipped: [], checking: [] };
  for (const r of rows) {
    const access = allowed(accessKey(r.namespace, def.access));
    if (access === undefined) split.checking.push(r);
    else if (access === true && def.applies(vmState(r.vm, r.vmi)).ok) split.targets.push(r);
    else split.skipped.push(r);
  }
  return split;
}
