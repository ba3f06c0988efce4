import { NextResponse } from 'next/server';
import { z } from 'zod';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { objectPath } from '@/lib/k8s/api-paths';
import { PortalError } from '@/lib/k8s/errors';
import { isVmActionId, VM_ACTIONS } from '@/lib/kubevirt/actions';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const params = vmPathParams.extend({ action: z.string().max(63) });
const body = z.object({ uid: z.string().max(64).optional() }).default({});

// Runs one declared VM action as the signed-in user. The API server decides; its refusal comes back mapped.
export const POST = withUser(
  async (_req, { client, requestId, body: readBody }, p) => {
    if (!isVmActionId(p.action)) throw new PortalError(404, 'not_found', `Unknown action ${p.action}`);
    const def = VM_ACTIONS[p.action];
    const { uid } = await readBody(body);
    const { method, body: callBody, ...target } = def.request({ namespace: p.namespace, name: p.name, uid });
    await client.json({
      method,
      path: objectPath({ ...target, namespace: p.namespace, name: p.name }),
      body: callBody,
      ctx: {
        verb: def.access.verb,
        resource: def.access.subresource ? `${def.access.resource}/${def.access.subresource}` : `${def.access.resource}.${def.access.group}`,
        namespace: p.namespace,
        name: p.name,
      },
    });
    log('info', 'vm action', { requestId, user: client.identity.username, action: def.id, namespace: p.namespace, name: p.name });
    return NextResponse.json({ ok: true, action: def.id }, { status: 202 });
  },
  { params },
);
