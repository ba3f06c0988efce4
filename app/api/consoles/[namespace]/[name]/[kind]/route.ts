import { NextResponse } from 'next/server';
import { z } from 'zod';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { reviewAccess } from '@/lib/k8s/access';
import { PortalError } from '@/lib/k8s/errors';
import { settings } from '@/lib/settings';
import { CONSOLE_KINDS, type ConsoleCheck } from '@/lib/shared/console-protocol';

export const dynamic = 'force-dynamic';

const params = vmPathParams.extend({ kind: z.enum(CONSOLE_KINDS) });

// A plain GET of a console's address (the websocket itself is an upgrade on the same path, served by lib/ws through
// server.ts). A browser cannot read why a websocket handshake was refused, so after a failed one the console asks
// here: the same session and access review, answered in the error shape (401, 403), or allowed with the public
// origin the websocket's Origin is checked against (a page opened under another address cannot use consoles).
export const GET = withUser(
  async (_req, { client }, p) => {
    const subresource = p.kind === 'serial' ? 'console' : 'vnc';
    const review = await reviewAccess(client, { verb: 'get', group: 'subresources.kubevirt.io', resource: 'virtualmachineinstances', subresource, namespace: p.namespace, name: p.name });
    if (!review.allowed) {
      throw new PortalError(403, 'forbidden', `Not allowed to get virtualmachineinstances/${subresource} "${p.name}" in namespace "${p.namespace}".`, review.reason ? { reason: review.reason } : undefined);
    }
    const body: ConsoleCheck = { allowed: true, origin: settings().site.origin };
    return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
  },
  { params },
);
