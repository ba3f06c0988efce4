'use client';
import Link from 'next/link';
import { useT } from '../i18n/I18nProvider';
import { createHref, type CreateQuery } from '../create/wizard/query';

const styles = {
  primary: 'inline-block rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800',
  secondary: 'inline-block rounded border border-sky-700 px-3 py-1.5 text-sm font-medium text-sky-800 hover:bg-sky-50',
};

// The ways into the create wizard: "Create VM" (optionally in a namespace) and "Create like this" (from a VM).
export function CreateVmLink({ query, variant = 'primary', label, testId = 'create-vm' }: { query?: CreateQuery; variant?: keyof typeof styles; label?: string; testId?: string }) {
  const t = useT();
  const like = Boolean(query?.from);
  return (
    <Link href={createHref(query)} className={styles[variant]} data-testid={testId} title={like ? t('create.entry.createLikeHint') : undefined}>
      {label ?? (like ? t('create.entry.createLike') : t('create.entry.createVm'))}
    </Link>
  );
}
