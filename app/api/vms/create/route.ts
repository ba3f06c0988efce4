import { NextResponse } from 'next/server';
import { logChange } from '@/lib/api/change-log';
import { withUser } from '@/lib/api/route';
import { createOptions } from '@/lib/k8s/create-options';
import { causesOf, createAll, CREATABLE_KINDS, dryRunAll, ObjectRefused, type CreatePlan, type Manifest } from '@/lib/k8s/create-objects';
import { PortalError } from '@/lib/k8s/errors';
import { buildManifests, needsStartCall } from '@/lib/kubevirt/create/builders';
import { quotaImpact } from '@/lib/kubevirt/create/quota-impact';
import { formProblemsOf, yamlProblemsOf, type Refusal } from '@/lib/kubevirt/create/refusals';
import { clusterProblems, formProblems } from '@/lib/kubevirt/create/rules';
import { createRequest } from '@/lib/kubevirt/create/request';
import type { CreateProblem, CreateResponse } from '@/lib/shared/create-api';
import { objectName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

function refused(status: number, code: 'invalid' | 'forbidden' | 'quota_exceeded' | 'conflict' | 'bad_request', message: string, problems: CreateProblem[]): never {
  throw new PortalError(status, code, message, { problems });
}

function refusalOf(e: ObjectRefused, kinds: string[]): Refusal {
  return { index: e.index, kind: kinds[e.index] ?? '', status: e.error.status, code: e.error.code, message: e.error.message, causes: causesOf(e.error) };
}

// The API server's verdict decides the response's status: the first refusal's (403 for RBAC, quota; 409; 422).
function refuseWith(errors: ObjectRefused[], problems: CreateProblem[]): never {
  const first = errors[0]!.error;
  throw new PortalError(first.status, first.code, first.message, { ...first.details, problems });
}

// YAML: exactly one VirtualMachine and, beside it, Secrets and DataVolumes it uses, all in the chosen namespace.
function planOfYaml(namespace: string, manifests: Manifest[]): { plan: CreatePlan; order: number[] } {
  const problems: CreateProblem[] = [];
  manifests.forEach((m, i) => {
    const kind = String(m.kind ?? '');
    if (!CREATABLE_KINDS.includes(kind)) problems.push({ field: `manifests.${i}.kind`, message: `kind must be one of ${CREATABLE_KINDS.join(', ')}` });
    if (!objectName.safeParse(m.metadata?.name).success) problems.push({ field: `manifests.${i}.metadata.name`, message: 'metadata.name must be a valid Kubernetes name' });
    const ns = m.metadata?.namespace;
    if (ns !== undefined && ns !== namespace) problems.push({ field: `manifests.${i}.metadata.namespace`, message: `metadata.namespace must be ${namespace} (or left out)` });
  });
  const vms = manifests.flatMap((m, i) => (m.kind === 'VirtualMachine' ? [i] : []));
  if (vms.length !== 1) problems.push({ field: 'manifests', message: 'exactly one VirtualMachine is needed' });
  if (problems.length) refused(400, 'invalid', problems[0]!.message, problems);
  const vmIndex = vms[0]!;
  const order = [vmIndex, ...manifests.map((_, i) => i).filter((i) => i !== vmIndex)];
  return { plan: { namespace, vm: manifests[vmIndex]!, dependents: order.slice(1).map((i) => manifests[i]!), startCall: false }, order };
}

// Creates a VM from the wizard's form or from YAML manifests, as the signed-in user: a dry run of everything first,
// then for real with owner references, removing what was made if the API server refuses part-way.
export const POST = withUser(async (_req, { client, requestId, body }) => {
  const request = await body(createRequest);
  let plan: CreatePlan;
  let manifests: Record<string, unknown>[];
  let order: number[];
  if (request.source === 'form') {
    const form = request.form;
    const local = formProblems(form);
    if (local.length) refused(400, 'invalid', 'The form has problems.', local);
    // The options the wizard was offered, read again as the user: a taken name and the quota are checked here
    // because the API server only sees the launcher pod's requests once the VM starts.
    const options = await createOptions(client, form.namespace);
    const cluster = clusterProblems(form, options);
    if (cluster.length) refused(cluster.some((p) => p.message === 'name.taken') ? 409 : 400, cluster.some((p) => p.message === 'name.taken') ? 'conflict' : 'invalid', 'The form has problems.', cluster);
    const impact = quotaImpact(form, options);
    if (!impact.fits) {
      const over = impact.lines.filter((l) => !l.fits);
      refused(403, 'quota_exceeded', `This VM does not fit the namespace's quota: ${over.map((l) => `${l.resource} (quota ${l.quota})`).join(', ')}.`, [
        { field: 'quota', message: 'quota.exceeded', params: { resources: over.map((l) => l.resource).join(', ') } },
      ]);
    }
    const built = buildManifests(form);
    plan = { namespace: form.namespace, vm: built.vm as unknown as Manifest, dependents: built.secrets as unknown as Manifest[], startCall: needsStartCall(form) };
    manifests = [built.vm as unknown as Record<string, unknown>, ...(built.secrets as unknown as Record<string, unknown>[])];
    order = manifests.map((_, i) => i);
  } else {
    const planned = planOfYaml(request.namespace, request.manifests as Manifest[]);
    plan = planned.plan;
    order = planned.order;
    manifests = request.manifests;
  }
  const kinds = [plan.vm, ...plan.dependents].map((m) => String(m.kind));
  const toProblems = (e: ObjectRefused) =>
    request.source === 'form' ? formProblemsOf(refusalOf(e, kinds)) : yamlProblemsOf({ ...refusalOf(e, kinds), index: order[e.index] ?? e.index });

  const refusals = await dryRunAll(client, plan);
  if (refusals.length) refuseWith(refusals, refusals.flatMap(toProblems));
  const vm = { namespace: plan.namespace, name: String(plan.vm.metadata?.name) };
  if (request.dryRun) {
    const objects = [plan.vm, ...plan.dependents].map((m) => ({ apiVersion: String(m.apiVersion), kind: String(m.kind), namespace: plan.namespace, name: String(m.metadata?.name) }));
    return NextResponse.json({ dryRun: true, objects, manifests, vm } satisfies CreateResponse);
  }
  const change = { action: 'vm.create', target: { kind: 'VirtualMachine', namespace: vm.namespace, name: vm.name } };
  try {
    const objects = await createAll(client, plan);
    logChange({ requestId, client }, { ...change, details: { source: request.source, objects: objects.length } });
    return NextResponse.json({ dryRun: false, objects, manifests, vm } satisfies CreateResponse, { status: 201 });
  } catch (err) {
    if (err instanceof ObjectRefused) {
      logChange({ requestId, client }, { ...change, details: { source: request.source, rolledBackAtStep: err.index } }, { error: err.error });
      refuseWith([err], toProblems(err));
    }
    throw err;
  }
});
