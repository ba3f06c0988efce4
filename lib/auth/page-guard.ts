import 'server-only';
import { redirect } from 'next/navigation';
import { currentIdentity } from './identity';
import { settings } from '../settings';

// For pages: the signed-in user's display data, or a redirect to the sign-in page that comes back here after.
export async function requireUser(returnTo: string) {
  const who = await currentIdentity();
  if (!who.ok) redirect(`/signin?reason=${who.reason}&callbackUrl=${encodeURIComponent(returnTo)}`);
  return { displayName: who.displayName, groups: who.identity.groups, mode: settings().authMode };
}
