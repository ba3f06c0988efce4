import { redirect } from 'next/navigation';
import { SignInView } from '@/components/shell/SignInView';
import { oidcSettings } from '@/lib/auth/oidc-settings';
import { safeRedirectPath } from '@/lib/auth/safe-redirect';
import { authMode } from '@/lib/k8s/settings';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (authMode() === 'kubeconfig') redirect('/vms');
  const sp = await searchParams;
  return <SignInView providerId={oidcSettings().providerId} providerName={oidcSettings().providerName} callbackUrl={safeRedirectPath(sp.callbackUrl)} reason={sp.reason} error={sp.error} />;
}
