import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { expandDiskClaim, removeDisk } from '@/lib/k8s/disks';
import { diskName, expandDiskRequest } from '@/lib/kubevirt/disks';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const params = vmPathParams.extend({ disk: diskName });

// Unplugs a hot-plugged disk from the VM as the signed-in user (removevolume); the disk's claim stays.
export const DELETE = withUser(
  async (_req, { client, requestId }, p) => {
    await removeDisk(client, p.namespace, p.name, p.disk);
    log('info', 'vm disk removed', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, disk: p.disk });
    return NextResponse.json({ ok: true, disk: p.disk }, { status: 202 });
  },
  { params },
);

// Grows the claim behind one of the VM's disks (a merge patch of its requested size): bigger only, where its
// StorageClass allows expansion.
export const PATCH = withUser(
  async (_req, { client, requestId, body: readBody }, p) => {
    const { size } = await readBody(expandDiskRequest);
    const done = await expandDiskClaim(client, p.namespace, p.name, p.disk, size);
    log('info', 'vm disk expanded', { requestId, user: client.identity.username, namespace: p.namespace, name: p.name, disk: p.disk, claim: done.claim, ...(done.from ? { from: done.from } : {}), to: done.to });
    return NextResponse.json({ ok: true, disk: p.disk, ...done }, { status: 202 });
  },
  { params },
);
