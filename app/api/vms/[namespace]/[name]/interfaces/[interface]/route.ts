import { NextResponse } from 'next/server';
import { z } from 'zod';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { PortalError } from '@/lib/k8s/errors';
import { changeVm, patchVm } from '@/lib/k8s/vm-interfaces';
import { catalogues, translator } from '@/lib/i18n/locales';
import { detachOutcome, detachPatch, detachRefusal, type InterfaceChangeResponse } from '@/lib/kubevirt/interfaces';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const english = translator(catalogues.en);

// KubeVirt's rule for an interface's name: "alphabetical characters, numbers, dashes (-) or underscores (_)".
const params = vmPathParams.extend({ interface: z.string().min(1).max(253).regex(/^[A-Za-z0-9_-]+$/, 'not a valid interface name') });

// Detaches an interface as the signed-in user: `state: absent` on a running VM's interface (KubeVirt unplugs it
// from the guest, then drops it from the spec), or the interface removed from a stopped VM's spec.
export const DELETE = withUser(
  async (_req, { client, requestId }, p) => {
    const outcome = await changeVm(client, p.namespace, p.name, async (vm, vmi) => {
      const refused = detachRefusal(vm, vmi, p.interface);
      if (refused) {
        const message = english(refused.key, refused.vars);
        const refusal = { key: refused.key, ...(refused.vars ? { vars: refused.vars } : {}) };
        throw refused.missing ? new PortalError(404, 'not_found', message, { refusal }) : new PortalError(409, 'conflict', message, { reason: message, refusal });
      }
      await patchVm(client, p.namespace, p.name, detachPatch(vm, vmi, p.interface));
      return detachOutcome(vmi);
    });
    log('info', 'vm interface detached', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, interface: p.interface, outcome });
    return NextResponse.json({ ok: true, interface: p.interface, outcome } satisfies InterfaceChangeResponse, { status: 202 });
  },
  { params },
);
