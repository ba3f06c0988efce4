import { AppShell } from '@/components/shell/AppShell';
import { MigrationsPageView } from '@/components/migrations/MigrationsPageView';
import { requireUser } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function MigrationsPage() {
  const user = await requireUser('/migrations');
  return (
    <AppShell user={user}>
      <MigrationsPageView />
    </AppShell>
  );
}
