import 'server-only';
import type { K8sClient } from './client';
import { objectPath } from './api-paths';
import { PortalError } from './errors';
import type { JsonPatchOp } from '../kubevirt/interfaces';
import { nadKey, nadOption, type NadObject } from '../kubevirt/nads';
import type { VirtualMachine, VirtualMachineInstance } from '../kubevirt/types';
import type { NetworkOption } from '../shared/create-api';

// The API calls of the Network interfaces tab's routes, as the signed-in user: the VM and its instance read
// together, the NAD an attach names, and the VM's JSON patch, tried again from a fresh read when the VM changed
// between the read and the patch (the patch tests the resourceVersion it was built from).

const VM = 'virtualmachines.kubevirt.io';
const VMI = 'virtualmachineinstances.kubevirt.io';
const NAD = 'network-attachment-definitions.k8s.cni.cncf.io';

async function readVm(client: K8sClient, namespace: string, name: string): Promise<VirtualMachine> {
  return client.json<VirtualMachine>({ path: objectPath({ resource: 'virtualmachines', namespace, name }), ctx: { verb: 'get', resource: VM, namespace, name } });
}

// No VMI is a stopped VM, not an error.
async function readVmi(client: K8sClient, namespace: string, name: string): Promise<VirtualMachineInstance | undefined> {
  try {
    return await client.json<VirtualMachineInstance>({ path: objectPath({ resource: 'virtualmachineinstances', namespace, name }), ctx: { verb: 'get', resource: VMI, namespace, name } });
  } catch (err) {
    if (err instanceof PortalError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * The NAD an attach names, as the create wizard's options describe one: `offered` is what the rules check the
 * attach against ([] when it does not exist), undefined when the user may not read it (the API server judges then).
 */
export async function readNad(client: K8sClient, vmNamespace: string, networkName: string): Promise<{ offered?: NetworkOption[] }> {
  const [namespace, name] = nadKey(networkName, vmNamespace).split('/', 2) as [string, string];
  try {
    const nad = await client.json<NadObject>({ path: objectPath({ resource: 'networkattachmentdefinitions', namespace, name }), ctx: { verb: 'get', resource: NAD, namespace, name } });
    return { offered: [nadOption(nad)] };
  } catch (err) {
    if (err instanceof PortalError && err.status === 404) return { offered: [] };
    if (err instanceof PortalError && err.status === 403) return {};
    throw err;
  }
}

export async function patchVm(client: K8sClient, namespace: string, name: string, ops: JsonPatchOp[]): Promise<VirtualMachine> {
  return client.json<VirtualMachine>({
    method: 'PATCH',
    path: objectPath({ resource: 'virtualmachines', namespace, name }),
    body: ops,
    contentType: 'application/json-patch+json',
    ctx: { verb: 'patch', resource: VM, namespace, name },
  });
}

// The API server answers a failed JSON-patch `test` with 422 "the server rejected our request due to an error in
// our request", the patch library's "testing value /metadata/resourceVersion failed" as its cause.
export function isStaleVersion(err: unknown): boolean {
  if (!(err instanceof PortalError) || err.status !== 422) return false;
  const said = [err.message, ...((err.details?.causes as { message?: string }[] | undefined) ?? []).map((c) => c.message ?? '')];
  return said.some((m) => m.includes('testing value /metadata/resourceVersion failed'));
}

// A running VM's status changes (and with it its resourceVersion) while it boots or migrates: a few fresh reads
// are normal, an endless run of them is not.
const ATTEMPTS = 3;

/**
 * Reads the VM and its VMI and runs `change` on them; when the patch it sends finds the VM changed since the read,
 * reads again and runs it again, so the change is always judged and built against the VM as it is.
 */
export async function changeVm<T>(client: K8sClient, namespace: string, name: string, change: (vm: VirtualMachine, vmi: VirtualMachineInstance | undefined) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const [vm, vmi] = await Promise.all([readVm(client, namespace, name), readVmi(client, namespace, name)]);
    try {
      return await change(vm, vmi);
    } catch (err) {
      if (!isStaleVersion(err)) throw err;
      if (attempt >= ATTEMPTS) {
        throw new PortalError(409, 'conflict', `VM ${name} kept changing while the change was made; try again.`, { reason: 'the VM changed meanwhile', verb: 'patch', resource: VM, namespace, name });
      }
    }
  }
}
