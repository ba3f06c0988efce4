import 'server-only';
import type { K8sClient } from './client';
import { collectionPath, objectPath } from './api-paths';
import { PortalError, type StatusCause } from './errors';
import type { CreatedObject } from '../shared/create-api';
import type { ResourceDef } from '../shared/resources';

// Creates a VM and its dependents as the user, whole or not at all: every object is first sent as a server-side
// dry run (admission, validation, quota and RBAC all answer), then the VM is made, then each dependent with an
// ownerReference to it, then the VM is started. A refusal part-way deletes what was made, newest first.

export interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; ownerReferences?: unknown[]; [k: string]: unknown };
  spec?: Record<string, unknown> & { runStrategy?: string };
  [k: string]: unknown;
}

const KINDS: Record<string, { apiVersion: string; def: ResourceDef }> = {
  VirtualMachine: { apiVersion: 'kubevirt.io/v1', def: { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines', namespaced: true } },
  Secret: { apiVersion: 'v1', def: { group: '', version: 'v1', plural: 'secrets', namespaced: true } },
  DataVolume: { apiVersion: 'cdi.kubevirt.io/v1beta1', def: { group: 'cdi.kubevirt.io', version: 'v1beta1', plural: 'datavolumes', namespaced: true } },
};

export const CREATABLE_KINDS = Object.keys(KINDS);

export function defOfKind(kind: string): ResourceDef | undefined {
  return KINDS[kind]?.def;
}

// A refusal of one manifest: its index in the request, and the API server's error.
export class ObjectRefused extends Error {
  constructor(
    readonly index: number,
    readonly error: PortalError,
  ) {
    super(error.message);
  }
}

export interface CreatePlan {
  namespace: string;
  vm: Manifest;
  dependents: Manifest[];
  // Manual VMs do not start by their run strategy; "start after create" calls the start subresource.
  startCall: boolean;
}

const nameOf = (m: Manifest) => String(m.metadata?.name ?? '');
const kindOf = (m: Manifest) => String(m.kind ?? '');
const resourceOf = (d: ResourceDef) => (d.group ? `${d.plural}.${d.group}` : d.plural);

function post(client: K8sClient, namespace: string, m: Manifest, dryRun: boolean) {
  const def = defOfKind(kindOf(m))!;
  return client.json<Manifest>({
    method: 'POST',
    path: collectionPath(def, namespace),
    query: dryRun ? { dryRun: 'All', fieldManager: 'kubevirt-portal' } : { fieldManager: 'kubevirt-portal' },
    body: { ...m, metadata: { ...m.metadata, namespace } },
    ctx: { verb: 'create', resource: resourceOf(def), namespace, name: nameOf(m) },
  });
}

async function remove(client: K8sClient, namespace: string, m: Manifest): Promise<void> {
  const def = defOfKind(kindOf(m))!;
  try {
    await client.json({
      method: 'DELETE',
      path: `${collectionPath(def, namespace)}/${encodeURIComponent(nameOf(m))}`,
      // The VM's DataVolumes and their claims go with it (owner references), before the VM itself disappears.
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
      ctx: { verb: 'delete', resource: resourceOf(def), namespace, name: nameOf(m) },
    });
  } catch (err) {
    if (!(err instanceof PortalError && err.status === 404)) throw err;
  }
}

// A VM that would start by itself must not run before the Secrets its cloud-init disk reads exist.
function startsBySpec(vm: Manifest): boolean {
  return ['Always', 'RerunOnFailure'].includes(vm.spec?.runStrategy ?? '');
}

// Every manifest as a dry run, all of them even after a refusal, so the form can show every problem at once.
export async function dryRunAll(client: K8sClient, plan: CreatePlan): Promise<ObjectRefused[]> {
  const all = [plan.vm, ...plan.dependents];
  const results = await Promise.allSettled(all.map((m) => post(client, plan.namespace, m, true)));
  return results.flatMap((r, i) => (r.status === 'rejected' ? [new ObjectRefused(i, r.reason instanceof PortalError ? r.reason : new PortalError(500, 'internal', 'Something went wrong in the portal.'))] : []));
}

export async function createAll(client: K8sClient, plan: CreatePlan): Promise<CreatedObject[]> {
  const made: { index: number; manifest: Manifest }[] = [];
  const record = (m: Manifest): CreatedObject => ({ apiVersion: String(m.apiVersion), kind: kindOf(m), namespace: plan.namespace, name: nameOf(m) });
  const holdBack = plan.dependents.length > 0 && startsBySpec(plan.vm);
  const runStrategy = plan.vm.spec?.runStrategy;
  let step = 0;
  try {
    const vm = await post(client, plan.namespace, holdBack ? { ...plan.vm, spec: { ...plan.vm.spec, runStrategy: 'Halted' } } : plan.vm, false);
    made.push({ index: 0, manifest: plan.vm });
    const owner = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: nameOf(plan.vm), uid: String(vm.metadata?.uid ?? '') };
    for (const [i, dep] of plan.dependents.entries()) {
      step = i + 1;
      const owners = [...((dep.metadata?.ownerReferences as unknown[]) ?? []), owner];
      await post(client, plan.namespace, { ...dep, metadata: { ...dep.metadata, ownerReferences: owners } }, false);
      made.push({ index: step, manifest: dep });
    }
    step = 0;
    const vmDef = defOfKind('VirtualMachine')!;
    if (holdBack) {
      await client.json({
        method: 'PATCH',
        path: objectPath({ resource: 'virtualmachines', namespace: plan.namespace, name: nameOf(plan.vm) }),
        contentType: 'application/merge-patch+json',
        body: { spec: { runStrategy } },
        ctx: { verb: 'patch', resource: resourceOf(vmDef), namespace: plan.namespace, name: nameOf(plan.vm) },
      });
    }
    if (plan.startCall) {
      await client.json({
        method: 'PUT',
        path: objectPath({ resource: 'virtualmachines', namespace: plan.namespace, name: nameOf(plan.vm), subresource: 'start' }),
        body: {},
        ctx: { verb: 'update', resource: 'virtualmachines/start', namespace: plan.namespace, name: nameOf(plan.vm) },
      });
    }
    return made.map((m) => record(m.manifest));
  } catch (err) {
    // Newest first: dependents, then the VM (whose DataVolumes and claims the garbage collector removes with it).
    for (const m of [...made].reverse()) {
      await remove(client, plan.namespace, m.manifest).catch(() => undefined);
    }
    throw new ObjectRefused(step, err instanceof PortalError ? err : new PortalError(500, 'internal', 'Something went wrong in the portal.'));
  }
}

export function causesOf(err: PortalError): StatusCause[] {
  const causes = err.details?.causes;
  return Array.isArray(causes) ? (causes as StatusCause[]) : [];
}
