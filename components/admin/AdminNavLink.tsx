'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { useAdminAccess } from './use-admin';

// "Admin" in the app shell's nav, only for a user whose own access reviews open the admin area.
export function AdminNavLink() {
  const t = useT();
  const { data } = useAdminAccess();
  if (!data?.admin) return null;
  return (
    <Link href="/admin/projects" className="hover:underline" data-testid="nav-admin">
      {t('admin.nav.link')}
    </Link>
  );
}
