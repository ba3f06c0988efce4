import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/AdminNav';
import { AdminNotAllowed } from '@/components/admin/AdminNotAllowed';
import { SignInRedirect } from '@/components/admin/SignInRedirect';
import { AppShell } from '@/components/shell/AppShell';
import { adminPageAccess } from '@/lib/auth/page-guard';

export const dynamic = 'force-dynamic';

// The frame of every admin page: the app shell, the admin nav, and the gate. Whether the area opens is the user's
// own access reviews' answer (lib/admin/access.ts); anyone else sees "not allowed" and none of the pages, and no one
// signed in sees nothing but the way to sign in. Pages under app/admin render only their content (no AppShell of
// their own); the routes they call check again.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const page = await adminPageAccess();
  if (!page.signedIn) return <SignInRedirect reason={page.reason} />;
  const { user, access } = page;
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
