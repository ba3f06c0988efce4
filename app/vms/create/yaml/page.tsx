import { AppShell } from '@/components/shell/AppShell';
import { CreateFromYaml } from '@/components/create/yaml/CreateFromYaml';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function CreateFromYamlPage() {
  const user = await requireUser('/vms/create/yaml');
  return (
    <AppShell user={user}>
      <CreateFromYaml />
    </AppShell>
  );
}
