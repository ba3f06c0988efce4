import { redirect } from 'next/navigation';
import { SignInView } from '@/components/shell/SignInView';
import { safeRedirectPath } from '@/lib/auth/safe-redirect';
import { settings } from '@/lib/settings';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { authMode, oidc } = settings();
  if (authMode === 'kubeconfig' || !oidc) redirect('/vms');
  const sp = await searchParams;
  return <SignInView providerId={oidc.providerId} providerName={oidc.providerName} callbackUrl={safeRedirectPath(sp.callbackUrl)} reason={sp.reason} error={sp.error} />;
}
