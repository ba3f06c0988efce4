import { NextResponse } from 'next/server';
import { recordChange } from '@/lib/api/change-log';
import { withUser } from '@/lib/api/route';
import { createProjectRequest } from '@/lib/admin/project-form';
import { forgetAccessReviews } from '@/lib/k8s/access';
import { requireAdmin } from '@/lib/k8s/admin-access';
import { forgetNamespaces } from '@/lib/k8s/namespaces';
import { ChangeRefused, createProject, listProjects } from '@/lib/k8s/projects';
import type { ProjectsResponse } from '@/lib/admin/projects';

export const dynamic = 'force-dynamic';

// Every project (namespace with the team label), with usage against quota, members and policies.
export const GET = withUser(async (_req, { client }) => {
  await requireAdmin(client);
  return NextResponse.json({ projects: await listProjects(client) } satisfies ProjectsResponse);
});

// Creates a project from the admin's form, as the admin: whole or not at all (lib/k8s/projects.ts).
export const POST = withUser(async (_req, ctx) => {
  const { client, requestId } = ctx;
  // The body first, so that a refused attempt is logged with the project it was for.
  const { form, dryRun } = await ctx.body(createProjectRequest);
  const create = async () => {
    await requireAdmin(client);
    try {
      return await createProject(client, form, dryRun);
    } catch (err) {
      throw err instanceof ChangeRefused ? err.toPortalError() : err;
    }
  };
  if (dryRun) return NextResponse.json(await create());
  const result = await recordChange({ requestId, client }, { action: 'project.create', target: { kind: 'Namespace', name: form.name }, details: { members: form.members.length, podSecurity: form.podSecurity } }, create);
  // Members of the new project see it on their next request, not after the caches' lifetime.
  forgetNamespaces();
  forgetAccessReviews();
  return NextResponse.json(result, { status: 201 });
});
