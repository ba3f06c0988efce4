import { NextResponse } from 'next/server';
import { logChange } from '@/lib/api/change-log';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { clusterInstancetypes } from '@/lib/k8s/create-options';
import { editVm } from '@/lib/k8s/vm-edit';
import { editRequest, requestedEdits, type EditOptions, type EditResponse } from '@/lib/kubevirt/edits';

export const dynamic = 'force-dynamic';

// What the VM's edit form may offer: the cluster's instance types the user may read.
export const GET = withUser(
  async (_req, { client }) => {
    const options: EditOptions = await clusterInstancetypes(client);
    return NextResponse.json(options, { headers: { 'cache-control': 'no-store' } });
  },
  { params: vmPathParams },
);

// Edits the VM as the signed-in user: the sections the form changed, as one JSON patch tested against the
// resourceVersion the form was based on (lib/k8s/vm-edit.ts). The API server decides; its refusal comes back mapped.
// One change line per edit: those made, with the fields patched (never their values), or those refused.
export const POST = withUser(
  async (_req, { client, requestId, body }, p) => {
    const req = await body(editRequest);
    const who = { requestId, client };
    const target = { kind: 'VirtualMachine', namespace: p.namespace, name: p.name };
    let result;
    try {
      result = await editVm(client, p.namespace, p.name, req);
    } catch (error) {
      for (const id of requestedEdits(req)) logChange(who, { action: `vm.${id}`, target }, { error });
      throw error;
    }
    for (const c of result.changes) {
      logChange(who, { action: `vm.${c.id}`, target, details: { paths: c.paths.join(' '), resourceVersion: result.resourceVersion } });
    }
    const res: EditResponse = { ok: true, changes: result.changes.map((c) => c.id), resourceVersion: result.resourceVersion };
    return NextResponse.json(res);
  },
  { params: vmPathParams },
);
