import { NextResponse } from 'next/server';
import { withUser } from '@/lib/api/route';
import { workableNamespaces } from '@/lib/k8s/namespaces';

export const dynamic = 'force-dynamic';

export const GET = withUser(async (_req, { client }) => NextResponse.json(await workableNamespaces(client)));
