import { AppShell } from '@/components/shell/AppShell';
import { CreateWizard } from '@/components/create/wizard/CreateWizard';
import { createHref, parseCreateQuery } from '@/components/create/wizard/query';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function CreateVmPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseCreateQuery(await searchParams);
  const user = await requireUser(createHref(query));
  return (
    <AppShell user={user}>
      <CreateWizard namespace={query.namespace} from={query.from} />
    </AppShell>
  );
}
