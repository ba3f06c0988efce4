import Link from 'next/link';
import type { ReactNode } from 'react';
import { AdminNavLink } from '../admin/AdminNavLink';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { MigrationsNavLink } from '../migrations/MigrationsNavLink';
import { SignOutButton } from './SignOutButton';
import { HydrationGate } from '../ui/HydrationGate';
import { serverT } from '@/lib/i18n/server';
import { Data, interpolate } from '@/lib/i18n/interpolate';

// The frame of every signed-in page. Single-user mode is labelled on every page, because everyone who opens the
// portal then acts with the same kubeconfig.
export async function AppShell({ user, children }: { user: { displayName: string; groups: string[]; mode: string }; children: ReactNode }) {
  const { t } = await serverT();
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only">
        {t('app.skipToContent')}
      </a>
      {user.mode === 'kubeconfig' ? (
        <div role="note" data-testid="mode-banner" className="bg-amber-300 px-4 py-1 text-center text-sm font-medium text-amber-950">
          {interpolate(t('mode.kubeconfig'), { user: <Data>{user.displayName}</Data> })}
        </div>
      ) : null}
      <header className="flex flex-wrap items-center gap-4 bg-slate-800 px-4 py-2 text-white">
        <Link href="/vms" className="text-lg font-semibold">
          {t('app.title')}
        </Link>
        <nav className="flex gap-3 text-sm">
          <Link href="/vms" className="hover:underline">
            {t('nav.vms')}
          </Link>
          <MigrationsNavLink />
          <AdminNavLink />
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user.mode === 'impersonate' ? <span className="rounded bg-slate-600 px-2 py-0.5 text-xs">{t('mode.impersonate')}</span> : null}
          <span data-testid="current-user" title={user.groups.length ? t('user.groups', { groups: user.groups.join(', ') }) : undefined}>
            {interpolate(t('user.signedInAs'), { name: <Data>{user.displayName}</Data> })}
          </span>
          <LanguageSwitch />
          {user.mode !== 'kubeconfig' ? <SignOutButton /> : null}
        </div>
      </header>
      <main id="main" className="flex min-h-0 flex-1 flex-col">
        <HydrationGate>{children}</HydrationGate>
      </main>
    </div>
  );
}
