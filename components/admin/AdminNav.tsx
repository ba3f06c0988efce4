'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '@/lib/i18n/locales';

// The admin area's pages, one entry each: a new page adds a line here (and its label to the catalogues).
export const ADMIN_PAGES: readonly { href: string; labelKey: MessageKey; id: string }[] = [
  { href: '/admin/projects', labelKey: 'admin.nav.projects', id: 'projects' },
  { href: '/admin/networks', labelKey: 'admin.nav.networks', id: 'networks' },
  { href: '/admin/cluster', labelKey: 'admin.nav.cluster', id: 'cluster' },
];

export function AdminNav() {
  const t = useT();
  const path = usePathname() ?? '';
  return (
    <nav aria-label={t('admin.nav.label')} className="w-full shrink-0 border-b border-slate-200 bg-slate-50 p-3 md:w-48 md:border-b-0 md:border-r" data-testid="admin-nav">
      <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t('admin.title')}</p>
      <ul className="flex gap-2 md:flex-col md:gap-1">
        {ADMIN_PAGES.map((p) => {
          const current = path === p.href || path.startsWith(`${p.href}/`);
          return (
            <li key={p.id}>
              <Link
                href={p.href}
                aria-current={current ? 'page' : undefined}
                data-testid={`admin-nav-${p.id}`}
                className={`block rounded px-2 py-1 text-sm hover:bg-slate-200 ${current ? 'bg-slate-200 font-semibold' : ''}`}
              >
                {t(p.labelKey)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
