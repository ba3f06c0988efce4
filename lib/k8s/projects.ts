import 'server-only';
import type { K8sClient } from './client';
import { adminResources, collectionPath, namedPath, PROJECT_KIND_DEFS } from './api-paths';
import { PortalError } from './errors';
import { resources, qualifiedName, type ResourceDef } from '../shared/resources';
import {
  buildProjectManifests,
  desiredShape,
  isManaged,
  manifestList,
  ownedByPart,
  PART_KINDS,
  partObjects,
  PSS_ENFORCE,
  readProjectParts,
  TEAM_LABEL,
  type KubeObject,
  type PartValue,
  type RoleBindingObject,
} from '../admin/project-manifests';
import { bindingsOf, summariseProject, type DeleteProjectResponse, type ProjectContents, type ProjectDetail, type ProjectObjects, type ProjectSummary } from '../admin/projects';
import type { PodSecurityLevel, ProjectForm } from '../admin/project-form';

// Projects (team namespaces) as the signed-in admin: read, create whole or not at all, edit one part at a time with
// a dry run first and an undo on a refusal part-way, and delete VMs first, then the namespace.

const FIELD_MANAGER = 'kubevirt-portal';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name });

function defOf(kind: string): ResourceDef {
  const def = PROJECT_KIND_DEFS[kind];
  if (!def) throw new Error(`no definition for kind ${kind}`);
  return def;
}

const ctxOf = (verb: string, def: ResourceDef, namespace?: string, name?: string) => ({
  verb,
  resource: qualifiedName(def),
  ...(def.namespaced && namespace ? { namespace } : {}),
  ...(name ? { name } : {}),
});

async function list<T>(client: K8sClient, def: ResourceDef, namespace: string, query?: Record<string, string>): Promise<T[]> {
  const res = await client.json<{ items?: T[] }>({ path: collectionPath(def, namespace), query, ctx: ctxOf('list', def, namespace) });
  return res.items ?? [];
}

// A kind the cluster does not serve (no CDI, say) holds nothing.
async function listIfServed<T>(client: K8sClient, def: ResourceDef, namespace: string): Promise<T[]> {
  try {
    return await list<T>(client, def, namespace);
  } catch (err) {
    if (err instanceof PortalError && err.status === 404) return [];
    throw err;
  }
}

const byNamespace = <T extends { metadata: { namespace?: string } }>(items: T[], ns: string) => items.filter((i) => i.metadata.namespace === ns);

// Every namespace with the team label, with its bindings, quotas, limit ranges and policies: five lists for all
// projects, not five per project.
export async function listProjects(client: K8sClient): Promise<ProjectSummary[]> {
  const [namespaces, bindings, quotas, limitRanges, policies] = await Promise.all([
    list<ProjectObjects['namespace']>(client, adminResources.namespaces, '', { labelSelector: TEAM_LABEL }),
    list<RoleBindingObject>(client, adminResources.rolebindings, ''),
    list<ProjectObjects['quotas'][number]>(client, adminResources.resourcequotas, ''),
    list<KubeObject>(client, adminResources.limitranges, ''),
    list<KubeObject>(client, adminResources.networkpolicies, ''),
  ]);
  return namespaces
    .map((namespace) => {
      const ns = namespace.metadata.name;
      return summariseProject({
        namespace,
        bindings: byNamespace(bindings, ns),
        quotas: byNamespace(quotas, ns),
        limitRanges: byNamespace(limitRanges, ns),
        policies: byNamespace(policies, ns),
      });
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

// The namespace, if it is a project; any other namespace (kube-system...) is not the admin area's to edit or delete.
async function projectNamespace(client: K8sClient, name: string): Promise<ProjectObjects['namespace']> {
  const def = adminResources.namespaces;
  const ns = await client.json<ProjectObjects['namespace']>({ path: namedPath(def, '', name), ctx: ctxOf('get', def, undefined, name) });
  if (ns.metadata?.labels?.[TEAM_LABEL] === undefined) {
    throw new PortalError(404, 'not_found', `Namespace ${name} is not a project: it has no ${TEAM_LABEL} label.`, { namespace: name });
  }
  return ns;
}

interface Named {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; ownerReferences?: { kind?: string }[] };
}

async function contentsOf(client: K8sClient, ns: string): Promise<ProjectContents> {
  type Vm = Named & { status?: { printableStatus?: string } };
  type Claim = Named & { spec?: { resources?: { requests?: { storage?: string } }; storage?: { resources?: { requests?: { storage?: string } } }; pvc?: { resources?: { requests?: { storage?: string } } } } };
  const [vms, pvcs, dvs] = await Promise.all([
    listIfServed<Vm>(client, resources.virtualmachines, ns),
    list<Claim>(client, resources.persistentvolumeclaims, ns),
    listIfServed<Claim>(client, resources.datavolumes, ns),
  ]);
  const size = (c: Claim) => c.spec?.resources?.requests?.storage ?? c.spec?.storage?.resources?.requests?.storage ?? c.spec?.pvc?.resources?.requests?.storage;
  const byName = (a: Named, b: Named) => a.metadata.name.localeCompare(b.metadata.name);
  return {
    vms: vms.sort(byName).map((v) => ({ name: v.metadata.name, ...(v.status?.printableStatus ? { status: v.status.printableStatus } : {}) })),
    claims: [
      ...pvcs.sort(byName).map((c) => ({ kind: 'PersistentVolumeClaim' as const, name: c.metadata.name, ...(size(c) ? { size: size(c) } : {}) })),
      ...dvs.sort(byName).map((c) => ({ kind: 'DataVolume' as const, name: c.metadata.name, ...(size(c) ? { size: size(c) } : {}) })),
    ],
  };
}

export async function readProject(client: K8sClient, name: string): Promise<ProjectDetail> {
  const namespace = await projectNamespace(client, name);
  const [bindings, quotas, limitRanges, policies, contents] = await Promise.all([
    list<RoleBindingObject>(client, adminResources.rolebindings, name),
    list<ProjectObjects['quotas'][number]>(client, adminResources.resourcequotas, name),
    list<KubeObject>(client, adminResources.limitranges, name),
    list<KubeObject>(client, adminResources.networkpolicies, name),
    contentsOf(client, name),
  ]);
  const objects = { namespace, bindings, quotas, limitRanges, policies };
  const own = [...bindings, ...quotas, ...limitRanges, ...policies].filter(isManaged).map((o) => desiredShape(o as KubeObject));
  return {
    ...summariseProject(objects),
    parts: readProjectParts(objects),
    bindings: bindingsOf(bindings),
    contents,
    manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: namespace.metadata.labels ?? {} } }, ...own],
  };
}

function post(client: K8sClient, o: KubeObject, dryRun: boolean): Promise<KubeObject> {
  const def = defOf(o.kind);
  return client.json<KubeObject>({
    method: 'POST',
    path: collectionPath(def, def.namespaced ? (o.metadata.namespace ?? '') : ''),
    query: { fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}) },
    body: o,
    ctx: ctxOf('create', def, o.metadata.namespace, o.metadata.name),
  });
}

function put(client: K8sClient, o: KubeObject, dryRun: boolean): Promise<KubeObject> {
  const def = defOf(o.kind);
  return client.json<KubeObject>({
    method: 'PUT',
    path: namedPath(def, o.metadata.namespace ?? '', o.metadata.name),
    query: { fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}) },
    body: o,
    ctx: ctxOf('update', def, o.metadata.namespace, o.metadata.name),
  });
}

async function remove(client: K8sClient, o: { kind: string; metadata: { namespace?: string; name: string } }, dryRun: boolean, opts: { propagation?: string; ignoreMissing?: boolean } = {}): Promise<void> {
  const def = defOf(o.kind);
  try {
    await client.json({
      method: 'DELETE',
      path: namedPath(def, o.metadata.namespace ?? '', o.metadata.name),
      query: dryRun ? { dryRun: 'All' } : undefined,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', ...(opts.propagation ? { propagationPolicy: opts.propagation } : {}) },
      ctx: ctxOf('delete', def, o.metadata.namespace, o.metadata.name),
    });
  } catch (err) {
    if (!(opts.ignoreMissing && err instanceof PortalError && err.status === 404)) throw err;
  }
}

// A refusal of one object of a change, with which object it was and, when something had been made before it,
// whether that is gone again (undefined: nothing had been made).
export class ChangeRefused extends Error {
  constructor(
    readonly object: ObjectRef,
    readonly error: PortalError,
    readonly undone?: boolean,
  ) {
    super(error.message);
  }

  toPortalError(): PortalError {
    return new PortalError(this.error.status, this.error.code, this.error.message, { ...this.error.details, object: this.object, ...(this.undone === undefined ? {} : { undone: this.undone }) });
  }
}

const asPortal = (err: unknown) => (err instanceof PortalError ? err : new PortalError(500, 'internal', 'Something went wrong in the portal.'));

export interface CreateProjectResult {
  dryRun: boolean;
  objects: ObjectRef[];
  manifests: KubeObject[];
}

// Creates a project whole or not at all. Namespaced objects cannot be tried before their namespace exists, so: the
// Namespace as a dry run, then for real; then every other object as a dry run (all of them, so every problem is
// seen at once); then each for real. Any refusal after the Namespace exists deletes the Namespace again, which takes
// whatever was made in it along.
export async function createProject(client: K8sClient, form: ProjectForm, dryRun: boolean): Promise<CreateProjectResult> {
  const m = buildProjectManifests(form);
  const manifests = manifestList(m);
  try {
    await post(client, m.namespace, true);
  } catch (err) {
    throw new ChangeRefused(refOf(m.namespace), asPortal(err));
  }
  if (dryRun) return { dryRun: true, objects: manifests.map(refOf), manifests };
  try {
    await post(client, m.namespace, false);
  } catch (err) {
    throw new ChangeRefused(refOf(m.namespace), asPortal(err));
  }
  let current = m.namespace;
  try {
    const tried = await Promise.allSettled(m.objects.map((o) => post(client, o, true)));
    const refusal = tried.findIndex((r) => r.status === 'rejected');
    if (refusal >= 0) {
      current = m.objects[refusal]!;
      throw (tried[refusal] as PromiseRejectedResult).reason;
    }
    for (const o of m.objects) {
      current = o;
      await post(client, o, false);
    }
  } catch (err) {
    const undone = await remove(client, m.namespace, false, { propagation: 'Background', ignoreMissing: true }).then(
      () => true,
      () => false,
    );
    throw new ChangeRefused(refOf(current), asPortal(err), undone);
  }
  return { dryRun: false, objects: manifests.map(refOf), manifests };
}

interface Step {
  op: 'create' | 'update' | 'delete';
  object: KubeObject;
  // update: the object as it was; delete: the object that was there.
  before?: KubeObject;
}

// What an object looked like, made fit to be sent again (after an undo): no server-set metadata.
function resendable(o: KubeObject): KubeObject {
  const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, managedFields: _m, generation: _g, selfLink: _s, deletionTimestamp: _d, ...metadata } = o.metadata as Record<string, unknown>;
  const { status: _status, ...rest } = o as KubeObject & { status?: unknown };
  return { ...rest, metadata: metadata as KubeObject['metadata'] };
}

export interface PartChange {
  dryRun: boolean;
  created: ObjectRef[];
  updated: ObjectRef[];
  deleted: ObjectRef[];
}

// An edit of one part: the portal's objects of that part become exactly the desired ones (created, updated in place
// keeping others' labels and annotations, or deleted). Every step is tried as a dry run first; a refusal part-way
// undoes the steps already made, newest first.
export async function applyPart(client: K8sClient, namespace: string, value: PartValue, dryRun: boolean): Promise<PartChange> {
  await projectNamespace(client, namespace);
  const kind = PART_KINDS[value.part];
  const def = defOf(kind);
  const existing = (await list<KubeObject>(client, def, namespace)).filter((o) => ownedByPart(value.part, o));
  const desired = partObjects(namespace, value);
  const steps: Step[] = [];
  for (const d of desired) {
    const was = existing.find((e) => e.metadata.name === d.metadata.name);
    if (!was) steps.push({ op: 'create', object: d });
    else {
      const object = {
        ...d,
        metadata: {
          ...d.metadata,
          resourceVersion: was.metadata.resourceVersion,
          labels: { ...was.metadata.labels, ...d.metadata.labels },
          ...(was.metadata.annotations ? { annotations: was.metadata.annotations } : {}),
        },
      };
      steps.push({ op: 'update', object, before: was });
    }
  }
  for (const e of existing) if (!desired.some((d) => d.metadata.name === e.metadata.name)) steps.push({ op: 'delete', object: e, before: e });

  const run = (s: Step, dry: boolean): Promise<unknown> => (s.op === 'create' ? post(client, s.object, dry) : s.op === 'update' ? put(client, s.object, dry) : remove(client, s.object, dry));
  const tried = await Promise.allSettled(steps.map((s) => run(s, true)));
  const refusal = tried.findIndex((r) => r.status === 'rejected');
  if (refusal >= 0) throw new ChangeRefused(refOf(steps[refusal]!.object), asPortal((tried[refusal] as PromiseRejectedResult).reason));

  const refs = (op: Step['op']) => steps.filter((s) => s.op === op).map((s) => refOf(s.object));
  const result = { dryRun, created: refs('create'), updated: refs('update'), deleted: refs('delete') };
  if (dryRun) return result;

  const done: { step: Step; after?: KubeObject }[] = [];
  for (const s of steps) {
    try {
      done.push({ step: s, after: (await run(s, false)) as KubeObject | undefined });
    } catch (err) {
      const undone = done.length ? await undo(client, done) : undefined;
      throw new ChangeRefused(refOf(s.object), asPortal(err), undone);
    }
  }
  return result;
}

async function undo(client: K8sClient, done: { step: Step; after?: KubeObject }[]): Promise<boolean> {
  let all = true;
  for (const { step, after } of [...done].reverse()) {
    try {
      if (step.op === 'create') await remove(client, step.object, false, { ignoreMissing: true });
      else if (step.op === 'delete') await post(client, resendable(step.before!), false);
      else {
        const back = resendable(step.before!);
        await put(client, { ...back, metadata: { ...back.metadata, resourceVersion: after?.metadata?.resourceVersion } }, false);
      }
    } catch {
      all = false;
    }
  }
  return all;
}

// The Pod Security level: one label on the namespace, merged in after a dry run.
export async function setPodSecurity(client: K8sClient, namespace: string, level: PodSecurityLevel, dryRun: boolean): Promise<PartChange> {
  await projectNamespace(client, namespace);
  const def = adminResources.namespaces;
  const send = (dry: boolean) =>
    client.json({
      method: 'PATCH',
      path: namedPath(def, '', namespace),
      contentType: 'application/merge-patch+json',
      query: { fieldManager: FIELD_MANAGER, ...(dry ? { dryRun: 'All' } : {}) },
      body: { metadata: { labels: { [PSS_ENFORCE]: level } } },
      ctx: ctxOf('patch', def, undefined, namespace),
    });
  await send(true);
  if (!dryRun) await send(false);
  return { dryRun, created: [], updated: [{ apiVersion: 'v1', kind: 'Namespace', name: namespace }], deleted: [] };
}

// One step of deleting a project, repeated by the page until the namespace is going: VMs (and VMIs of no VM) are
// deleted first, while KubeVirt's controllers can still take their finalizers off; only once none is left is the
// namespace deleted, so it never waits in Terminating on a VM. Each call is safe to repeat.
export async function deleteProjectStep(client: K8sClient, name: string): Promise<DeleteProjectResponse> {
  const namespace = await projectNamespace(client, name);
  const none = { vms: [], vmis: [], namespace: false };
  if (namespace.metadata.deletionTimestamp || namespace.status?.phase === 'Terminating') return { state: 'namespace', remainingVms: [], deleted: none };
  const [vms, vmis] = await Promise.all([listIfServed<Named>(client, resources.virtualmachines, name), listIfServed<Named>(client, resources.virtualmachineinstances, name)]);
  const del = async (def: ResourceDef, n: Named) => {
    try {
      await client.json({
        method: 'DELETE',
        path: namedPath(def, name, n.metadata.name),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
        ctx: ctxOf('delete', def, name, n.metadata.name),
      });
    } catch (err) {
      if (!(err instanceof PortalError && err.status === 404)) throw err;
    }
    return n.metadata.name;
  };
  const deleted = { vms: [] as string[], vmis: [] as string[], namespace: false };
  for (const vm of vms) if (!vm.metadata.deletionTimestamp) deleted.vms.push(await del(resources.virtualmachines, vm));
  // A VMI of a VM goes with it; one made on its own is deleted itself.
  for (const vmi of vmis) {
    if (!vmi.metadata.deletionTimestamp && !vmi.metadata.ownerReferences?.some((o) => o.kind === 'VirtualMachine')) deleted.vmis.push(await del(resources.virtualmachineinstances, vmi));
  }
  const remaining = [...new Set([...vms, ...vmis].map((v) => v.metadata.name))].sort();
  if (remaining.length) return { state: 'vms', remainingVms: remaining, deleted };
  await remove(client, { kind: 'Namespace', metadata: { name } }, false, { propagation: 'Background', ignoreMissing: true });
  return { state: 'namespace', remainingVms: [], deleted: { ...deleted, namespace: true } };
}
