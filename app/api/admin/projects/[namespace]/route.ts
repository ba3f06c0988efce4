import { NextResponse } from 'next/server';
import { z } from 'zod';
import { logChange, recordChange } from '@/lib/api/change-log';
import { withUser } from '@/lib/api/route';
import { deleteProjectRequest, projectPatch } from '@/lib/admin/project-form';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { requireAdmin } from '@/lib/k8s/admin-access';
import { PortalError } from '@/lib/k8s/errors';
import { forgetNamespaces } from '@/lib/k8s/namespaces';
import { applyPart, ChangeRefused, deleteProjectStep, readProject, setPodSecurity } from '@/lib/k8s/projects';
import { namespaceName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

const params = z.object({ namespace: namespaceName });

const unwrap = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (err) {
    throw err instanceof ChangeRefused ? err.toPortalError() : err;
  }
};

// One project: its parts as the edit forms read them, its bindings, and what deleting it would take along.
export const GET = withUser(
  async (_req, { client }, p) => {
    await requireAdmin(client);
    return NextResponse.json(await readProject(client, p.namespace));
  },
  { params },
);

// Edits one part of a project (members, quota, limits, Pod Security level, network policies).
export const PATCH = withUser(
  async (_req, ctx, p) => {
    const { client, requestId } = ctx;
    const patch = await ctx.body(projectPatch);
    const apply = async () => {
      await requireAdmin(client);
      return unwrap(() => (patch.part === 'podSecurity' ? setPodSecurity(client, p.namespace, patch.podSecurity, patch.dryRun) : applyPart(client, p.namespace, patch, patch.dryRun)));
    };
    if (patch.dryRun) return NextResponse.json(await apply());
    const change = { action: 'project.edit', target: { kind: 'Namespace', name: p.namespace }, details: { part: patch.part } };
    const result = await recordChange({ requestId, client }, change, apply);
    forgetNamespaces();
    forgetAccessReviews();
    return NextResponse.json(result);
  },
  { params },
);

// One step of deleting a project: its VMs first, then (once they are gone) the namespace. The page repeats it until
// the namespace is going, and follows it until it is gone.
export const DELETE = withUser(
  async (_req, ctx, p) => {
    const { client, requestId } = ctx;
    const { confirm } = await ctx.body(deleteProjectRequest);
    if (confirm !== p.namespace) throw new PortalError(400, 'bad_request', `To delete project ${p.namespace}, confirm with its name.`, { field: 'confirm' });
    const who = { requestId, client };
    const target = { kind: 'Namespace', name: p.namespace };
    let step;
    try {
      await requireAdmin(client);
      step = await deleteProjectStep(client, p.namespace);
    } catch (error) {
      logChange(who, { action: 'project.delete', target }, { error });
      throw error;
    }
    // A repeated step that deleted nothing is no change.
    const { vms, vmis, namespace } = step.deleted;
    if (vms.length || vmis.length) logChange(who, { action: 'project.delete-vms', target, details: { vms: vms.length, vmis: vmis.length } });
    if (namespace) {
      logChange(who, { action: 'project.delete', target });
      forgetNamespaces();
      forgetAccessReviews();
    }
    return NextResponse.json(step, { status: 202 });
  },
  { params },
);
