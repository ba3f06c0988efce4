import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/AdminNav';
import { AdminNotAllowed } from '@/components/admin/AdminNotAllowed';
import { AppShell } from '@/components/shell/AppShell';
import { requireAdminPage } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

// The frame of every admin page: the app shell, the admin nav, and the gate. Whether the area opens is the user's
// own access reviews' answer (lib/admin/access.ts); anyone else sees "not allowed" and none of the pages. Pages under
// app/admin render only their content; the routes they call check again.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const { user, access } = await requireAdminPage('/admin');
  return (
    <AppShell user={user}>
      {access?.admin ? (
        <div className="flex min-h-0 flex-1 flex-col md:flex-row" data-testid="admin-area">
          <AdminNav />
          <div className="flex min-w-0 flex-1 flex-col">{children}</div>
        </div>
      ) : (
        <AdminNotAllowed denied={access?.denied} failed={!access} />
      )}
    </AppShell>
  );
}
