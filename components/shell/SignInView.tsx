'use client';
import { getSession, signIn } from 'next-auth/react';
import { useEffect, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { useHydrated } from '../ui/use-hydrated';

export function SignInView({ providerId, providerName, callbackUrl, reason, error }: { providerId: string; providerName: string; callbackUrl: string; reason?: string; error?: string }) {
  const t = useT();
  const [checking, setChecking] = useState(reason === 'expired');
  const hydrated = useHydrated();
  // From the click until the browser leaves for the identity provider; a start that fails says so and can be retried.
  const [starting, setStarting] = useState(false);
  const [startFailed, setStartFailed] = useState(false);
  // Back from the identity provider's page can show this page as it was left (the back/forward cache): mid-start.
  useEffect(() => {
    const shown = (e: PageTransitionEvent) => {
      if (e.persisted) setStarting(false);
    };
    window.addEventListener('pageshow', shown);
    return () => window.removeEventListener('pageshow', shown);
  }, []);
  const start = async () => {
    setStarting(true);
    setStartFailed(false);
    try {
      await signIn(providerId, { callbackUrl });
    } catch {
      setStarting(false);
      setStartFailed(true);
    }
  };

  // An expired ID token with a good refresh token: the session endpoint refreshes it, and the user goes straight back.
  useEffect(() => {
    if (reason !== 'expired') return;
    void getSession().then((s) => {
      if (s && !(s as { error?: string }).error) window.location.replace(callbackUrl);
      else setChecking(false);
    });
  }, [reason, callbackUrl]);

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-md rounded-lg bg-white p-8 shadow">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-2xl font-semibold">{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <h2 className="mb-2 text-lg font-medium">{reason === 'signed_out' ? t('signout.title') : t('signin.title')}</h2>
        {reason === 'signed_out' ? <p className="mb-4 text-slate-700" data-testid="signed-out">{t('signout.done')}</p> : null}
        {reason === 'expired' || reason === 'revoked' ? <p className="mb-4 text-amber-800">{t('signin.expired')}</p> : null}
        {error ? <p role="alert" className="mb-4 text-red-700">{t('signin.error', { code: error })}</p> : null}
        {startFailed ? (
          <p role="alert" className="mb-4 text-red-700" data-testid="sign-in-failed">
            {t('signin.startFailed')}
          </p>
        ) : null}
        <p className="mb-6 text-slate-700">{t('signin.intro')}</p>
        <button
          type="button"
          data-testid="sign-in"
          disabled={checking || !hydrated || starting}
          aria-busy={checking || starting}
          className="w-full rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-50"
          onClick={() => void start()}
        >
          {checking || starting ? t('common.loading') : t('signin.button', { provider: providerName })}
        </button>
      </div>
    </main>
  );
}
