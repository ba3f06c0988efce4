'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { seesAny } from './scope';
import { useMigrationScope } from './use-migration-scope';

// "Migrations" in the app shell's nav, only for a user who may list virtualmachineinstancemigrations somewhere.
export function MigrationsNavLink() {
  const t = useT();
  const { scope } = useMigrationScope();
  if (!seesAny(scope)) return null;
  return (
    <Link href="/migrations" className="hover:underline" data-testid="nav-migrations">
      {t('migration.nav')}
    </Link>
  );
}
