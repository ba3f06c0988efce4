import { CreateProjectForm } from '@/components/admin/CreateProjectForm';

export const dynamic = 'force-dynamic';

export default function NewProjectPage() {
  return <CreateProjectForm />;
}
