import { notFound } from 'next/navigation';
import { ProjectPage } from '@/components/admin/ProjectPage';
import { decodeSegment } from '@/lib/api/path-params';
import { namespaceName } from '@/lib/shared/names';

export const dynamic = 'force-dynamic';

export default async function ProjectDetailPage({ params }: { params: Promise<{ namespace: string }> }) {
  const raw = decodeSegment((await params).namespace);
  const parsed = namespaceName.safeParse(raw);
  if (!parsed.success) notFound();
  return <ProjectPage namespace={parsed.data} />;
}
