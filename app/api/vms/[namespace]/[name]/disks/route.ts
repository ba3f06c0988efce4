import { NextResponse } from 'next/server';
import { vmPathParams } from '@/lib/api/path-params';
import { withUser } from '@/lib/api/route';
import { storageClassCatalogue } from '@/lib/k8s/create-options';
import { addDisk } from '@/lib/k8s/disks';
import { addDiskRequest, type DiskOptions } from '@/lib/kubevirt/disks';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

// What the Disks tab offers besides its live lists: the storage classes and what each can do (cluster-wide, read as
// the user; the path names the VM the tab is for).
export const GET = withUser(
  async (_req, { client }) => {
    const unavailable: string[] = [];
    const storageClasses = await storageClassCatalogue(client, unavailable);
    const body: DiskOptions = { storageClasses, unavailable };
    return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
  },
  { params: vmPathParams },
);

// Hot-plugs a disk into the VM as the signed-in user: a new blank one (a DataVolume of a class and size) or a claim
// that exists. A stopped VM gets it in its spec, for its next start.
export const POST = withUser(
  async (_req, { client, requestId, body: readBody }, p) => {
    const req = await readBody(addDiskRequest);
    const added = await addDisk(client, p.namespace, p.name, req, requestId);
    log('info', 'vm disk added', {
      requestId,
      user: client.identity.username,
      namespace: p.namespace,
      name: p.name,
      disk: req.name,
      source: req.source,
      claim: added.claim,
      ...(req.source === 'blank' ? { size: req.size, ...(req.storageClass ? { storageClass: req.storageClass } : {}) } : {}),
    });
    return NextResponse.json(added, { status: 202 });
  },
  { params: vmPathParams },
);
