import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { adminAccess } from '@/lib/k8s/admin-access';

export const dynamic = 'force-dynamic';

// Whether the signed-in user may use the admin area (their own access reviews), for the nav entry.
export const GET = withUser(async (_req, { client }) => NextResponse.json(await adminAccess(client)));
