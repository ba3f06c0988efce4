import { redirect } from 'next/navigation';
import { SignInView } from '@/components/shell/SignInView';
import { oidcSettings } from '@/lib/auth/oidc-settings';
import { authMode } from '@/lib/k8s/settings';

export const dynamic = 'force-dynamic';

function safeCallback(url: string | undefined): string {
  // Only paths on this portal: never an open redirect.
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/vms';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (authMode() === 'kubeconfig') redirect('/vms');
  const sp = await searchParams;
  return <SignInView providerId={oidcSettings().providerId} providerName={oidcSettings().providerName} callbackUrl={safeCallback(sp.callbackUrl)} reason={sp.reason} error={sp.error} />;
}
