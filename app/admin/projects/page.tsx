import { ProjectsList } from '@/components/admin/ProjectsList';

export const dynamic = 'force-dynamic';

export default function ProjectsPage() {
  return <ProjectsList />;
}
