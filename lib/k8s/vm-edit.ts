import 'server-only';
import type { K8sClient } from './client';
import { objectPath } from './api-paths';
import { PortalError } from './errors';
import { editPatch, EditRefusal, planEdit, type EditChange, type EditRequest } from '../kubevirt/edits';
import type { VirtualMachine } from '../kubevirt/types';
import { qualifiedName, resources } from '../shared/resources';

// A VM edit as the signed-in user: the VM is read, checked to be the version the form was based on, and the changed
// fields are sent as ONE JSON patch whose first operation tests that version, so a change made meanwhile (by a
// person or by KubeVirt's controllers) makes the API server refuse the whole patch instead of half-applying it.

const RESOURCE = qualifiedName(resources.virtualmachines);

/** What the form should say: its base version is not the VM's any more, so nothing was saved. */
export function staleVersion(name: string, given: string, current?: string): PortalError {
  return new PortalError(
    409,
    'conflict',
    `VirtualMachine "${name}" was changed after the form was loaded (resourceVersion ${given}${current ? `, now ${current}` : ''}); nothing was saved.`,
    { stale: true, resourceVersion: given, ...(current ? { currentResourceVersion: current } : {}) },
  );
}

// kube-apiserver answers a failed JSON-patch operation (our `test`) with a bare 422 Invalid whose message is only
// this sentence (NewGenericServerResponse drops the patch library's own words); a webhook's or a validation's 422
// carries its own message and causes. The test is the patch's first operation, so that is what failed.
const PATCH_NOT_APPLIED = /^the server rejected our request due to an error in our request$/;

export function isFailedTest(err: unknown): boolean {
  if (!(err instanceof PortalError) || err.status !== 422) return false;
  const d = err.details ?? {};
  return d.upstreamReason === 'Invalid' && !d.causes && PATCH_NOT_APPLIED.test(err.message);
}

function refusal(e: EditRefusal): PortalError {
  return new PortalError(400, 'bad_request', 'The request does not fit the VM as it is.', { issues: [{ path: e.field, message: e.key, ...(e.vars ? { vars: e.vars } : {}) }] });
}

export interface EditResult {
  changes: EditChange[];
  /** The VM's version after the edit (before it, when nothing changed). */
  resourceVersion: string;
}

export async function editVm(client: K8sClient, namespace: string, name: string, req: EditRequest): Promise<EditResult> {
  const path = objectPath({ resource: 'virtualmachines', namespace, name });
  const vm = await client.json<VirtualMachine>({ path, ctx: { verb: 'get', resource: RESOURCE, namespace, name } });
  const current = vm.metadata?.resourceVersion ?? '';
  // Compared for equality only: resourceVersions are opaque.
  if (current !== req.resourceVersion) throw staleVersion(name, req.resourceVersion, current);
  let plan;
  try {
    plan = planEdit(vm, req);
  } catch (err) {
    throw err instanceof EditRefusal ? refusal(err) : err;
  }
  if (!plan.changes.length) return { changes: [], resourceVersion: current };
  try {
    const updated = await client.json<VirtualMachine>({
      method: 'PATCH',
      path,
      contentType: 'application/json-patch+json',
      body: editPatch(req.resourceVersion, plan),
      ctx: { verb: 'patch', resource: RESOURCE, namespace, name },
    });
    return { changes: plan.changes, resourceVersion: updated.metadata?.resourceVersion ?? '' };
  } catch (err) {
    throw isFailedTest(err) ? staleVersion(name, req.resourceVersion) : err;
  }
}
