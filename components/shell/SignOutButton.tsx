'use client';
import { signOut } from 'next-auth/react';
import { useT } from '../i18n/I18nProvider';

export function SignOutButton() {
  const t = useT();
  return (
    <button
      type="button"
      data-testid="sign-out"
      className="rounded border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700"
      onClick={() => void signOut({ callbackUrl: '/signin?reason=signed_out' })}
    >
      {t('user.signOut')}
    </button>
  );
}
