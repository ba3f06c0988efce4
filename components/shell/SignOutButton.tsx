'use client';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { logoutUrlResponse, SIGNED_OUT_PATH } from '@/lib/auth/end-session';
import { setSigningOut } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import { useT } from '../i18n/I18nProvider';
import { useHydrated } from '../ui/use-hydrated';

// The IdP's logout URL must be asked for while the session cookie still exists; any failure there still signs out
// here, since ending the portal session is what matters most.
async function idpLogoutUrl(): Promise<string | null> {
  try {
    const res = await fetch(apiPaths.logoutUrl, { cache: 'no-store', credentials: 'same-origin' });
    const body = logoutUrlResponse.safeParse(res.ok ? await res.json() : null);
    return body.success ? body.data.url : null;
  } catch {
    return null;
  }
}

export function SignOutButton() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  // Its only behaviour is the click handler: disabled until the page's script has attached it.
  const hydrated = useHydrated();
  const onClick = async () => {
    setBusy(true);
    const idpUrl = await idpLogoutUrl();
    setSigningOut(true);
    try {
      await signOut({ redirect: false });
    } catch {
      // Still signed in here: leaving for the IdP now would look like a sign-out that did not happen.
      setSigningOut(false);
      setBusy(false);
      return;
    }
    window.location.assign(idpUrl ?? SIGNED_OUT_PATH);
  };
  return (
    <button
      type="button"
      data-testid="sign-out"
      disabled={busy || !hydrated}
      className="rounded border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700 disabled:opacity-50"
      onClick={() => void onClick()}
    >
      {t('user.signOut')}
    </button>
  );
}
