import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { requireGate } from '@/lib/api/gates';
import { checkNad, createNadRequest, describeNad, nadManifest, problemSentence, type NadCreated, type NadProblem } from '@/lib/admin/nad';
import { NETWORKS_GATE } from '@/lib/admin/gates';
import { PortalError } from '@/lib/k8s/errors';
import { createNad, visibleNads } from '@/lib/k8s/networks';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

function refuse(problems: NadProblem[]): never {
  const taken = problems.every((p) => p.key === 'name.taken');
  throw new PortalError(taken ? 409 : 400, taken ? 'conflict' : 'invalid', problems.map(problemSentence).join(' '), { problems });
}

// Creates a shared network as the signed-in user after the same checks as the form's: the rules of the NAD itself
// first, then its address range against every NAD the user can list (the form's view may be stale or bypassed).
// Nothing is sent to the API server until both pass.
export const POST = withUser(async (req, { client, requestId, body }) => {
  await requireGate(client, NETWORKS_GATE);
  const { nad } = await body(createNadRequest);
  const alone = checkNad(nad);
  if (!alone.ok) refuse(alone.problems);
  const visible = await visibleNads(client, req.signal);
  const checked = checkNad(nad, visible.items.map(describeNad));
  if (!checked.ok) refuse(checked.problems);
  const manifest = nadManifest(checked.spec);
  await createNad(client, manifest);
  log('info', 'network attachment definition created', { requestId, user: client.identity.username, namespace: manifest.metadata.namespace, name: manifest.metadata.name, checkedIn: visible.scope === 'all' ? 'all' : visible.scope.length });
  const created: NadCreated = { namespace: manifest.metadata.namespace, name: manifest.metadata.name, config: manifest.spec.config };
  return NextResponse.json(created, { status: 201 });
});
