import { NextResponse } from 'next/server';
import { z } from 'zod';
import { recordChange } from '@/lib/api/change-log';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { objectPath } from '@/lib/k8s/api-paths';
import { PortalError } from '@/lib/k8s/errors';
import { findActiveMigration, migrateRefusal } from '@/lib/k8s/migrations';
import { isVmActionId, VM_ACTIONS, type ActionField, type ActionInput } from '@/lib/kubevirt/actions';
import { nodeName, objectName } from '@/lib/shared/names';
import { qualifiedName, resources } from '@/lib/shared/resources';

export const dynamic = 'force-dynamic';

const params = vmPathParams.extend({ action: z.string().max(63) });
// Every field any action takes; each action then refuses those it does not take (VmActionDef.fields).
const body = z
  .strictObject({
    uid: z.string().max(64).optional(), // delete: the VM's uid, as a precondition
    node: nodeName.optional(), // migrate: the target node (kubernetes.io/hostname)
    migration: objectName.optional(), // cancelMigration: the migration the page shows
  })
  .default({});

// Runs one declared VM action as the signed-in user. The API server decides; its refusal comes back mapped.
export const POST = withUser(
  async (_req, { client, requestId, body: readBody }, p) => {
    if (!isVmActionId(p.action)) throw new PortalError(404, 'not_found', `Unknown action ${p.action}`);
    const def = VM_ACTIONS[p.action];
    const given = await readBody(body);
    const extra = (Object.keys(given) as ActionField[]).filter((f) => given[f] !== undefined && !def.fields?.includes(f));
    if (extra.length) throw new PortalError(400, 'bad_request', `The action ${def.id} takes no ${extra.join(', ')}.`, { fields: extra });

    const input: ActionInput = { ...(given.node ? { node: given.node } : {}) };
    if (def.target === 'activeMigration') input.migration = await findActiveMigration(client, p.namespace, p.name, given.migration);
    const { method, body: callBody, name, ...target } = def.request({ namespace: p.namespace, name: p.name, uid: given.uid }, input);
    const acted = name ?? p.name;
    const resource = def.access.subresource ? `${def.access.resource}/${def.access.subresource}` : qualifiedName(resources[target.resource]);
    const details = { ...(name ? { object: name } : {}), ...(input.node ? { node: input.node } : {}) };
    const change = { action: `vm.${def.id}`, target: { kind: 'VirtualMachine', namespace: p.namespace, name: p.name }, details };
    await recordChange({ requestId, client }, change, async () => {
      try {
        await client.json({
          method,
          path: objectPath({ ...target, namespace: p.namespace, name: acted }),
          body: callBody,
          ctx: { verb: def.access.verb, resource, namespace: p.namespace, name: acted },
        });
      } catch (err) {
        throw def.id === 'migrate' ? migrateRefusal(err) : err;
      }
    });
    return NextResponse.json({ ok: true, action: def.id, ...(name ? { object: name } : {}) }, { status: 202 });
  },
  { params },
);
