'use client';
import { useEffect } from 'react';
import { useT } from '../i18n/I18nProvider';

// To sign in, and back to exactly this address afterwards (the admin frame cannot know which of its pages this is).
// The sign-in page keeps only a same-site path of it (lib/auth/safe-redirect.ts).
export function SignInRedirect({ reason }: { reason: string }) {
  const t = useT();
  useEffect(() => {
    const back = window.location.pathname + window.location.search;
    window.location.replace(`/signin?reason=${encodeURIComponent(reason)}&callbackUrl=${encodeURIComponent(back)}`);
  }, [reason]);
  return (
    <p className="p-8 text-center text-slate-600" role="status" data-testid="signin-redirect">
      {t('admin.signingIn')}
    </p>
  );
}
