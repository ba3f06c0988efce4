import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { PortalError } from '@/lib/k8s/errors';
import { changeVm, patchVm, readNad } from '@/lib/k8s/vm-interfaces';
import { catalogues, translator, type MessageKey } from '@/lib/i18n/locales';
import { attachOutcome, attachPatch, attachProblems, attachRequest, type AttachProblem, type InterfaceChangeResponse } from '@/lib/kubevirt/interfaces';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const english = translator(catalogues.en);

// What KubeVirt's admission would refuse, refused here before anything is sent: the message in English (the API's
// language), the problems as the tab's message keys so the browser says them in the user's.
function refusal(name: string, problems: AttachProblem[]): PortalError {
  const said = problems.map((p) => english(`create.error.${p.message}` as MessageKey, p.params as Record<string, string | number> | undefined));
  return new PortalError(422, 'invalid', `Interface ${name} cannot be attached: ${said.join(' ')}`, { problems });
}

// Attaches a network to the VM as the signed-in user: a JSON patch of its template that KubeVirt carries to the
// running guest (declarative hotplug). The API server decides; its refusal comes back mapped.
export const POST = withUser(
  async (_req, { client, requestId, body: readBody }, p) => {
    const req = await readBody(attachRequest);
    const nad = req.source.kind === 'multus' ? await readNad(client, p.namespace, req.source.networkName) : undefined;
    const outcome = await changeVm(client, p.namespace, p.name, async (vm, vmi) => {
      const problems = attachProblems(vm, vmi, req, nad?.offered);
      if (problems.length) throw refusal(req.name, problems);
      await patchVm(client, p.namespace, p.name, attachPatch(vm, vmi, req));
      return attachOutcome(vm, vmi, req);
    });
    log('info', 'vm interface attached', {
      requestId,
      user: client.identity.username,
      namespace: p.namespace,
      name: p.name,
      interface: req.name,
      network: req.source.kind === 'multus' ? req.source.networkName : 'pod',
      binding: req.binding,
      outcome,
    });
    return NextResponse.json({ ok: true, interface: req.name, outcome } satisfies InterfaceChangeResponse, { status: 202 });
  },
  { params: vmPathParams },
);
