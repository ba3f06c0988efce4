import 'server-only';
import { redirect } from 'next/navigation';
import { currentIdentity } from './identity';
import { adminAccess } from '../k8s/admin-access';
import { clientFor } from '../k8s/client';
import { settings } from '../settings';

async function signedIn(returnTo: string) {
  const who = await currentIdentity();
  if (!who.ok) redirect(`/signin?reason=${who.reason}&callbackUrl=${encodeURIComponent(returnTo)}`);
  return { who, user: { displayName: who.displayName, groups: who.identity.groups, mode: settings().authMode } };
}

// For pages: the signed-in user's display data, or a redirect to the sign-in page that comes back here after.
export async function requireUser(returnTo: string) {
  return (await signedIn(returnTo)).user;
}

// For the admin area's pages: the user as requireUser gives them, and whether their own access reviews let them in
// (lib/k8s/admin-access.ts). `access` is undefined when the reviews could not be asked (the API server is down).
export async function requireAdminPage(returnTo: string) {
  const { who, user } = await signedIn(returnTo);
  try {
    return { user, access: await adminAccess(await clientFor(who.identity)) };
  } catch {
    return { user, access: undefined };
  }
}
