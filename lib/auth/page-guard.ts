import 'server-only';
import { redirect } from 'next/navigation';
import { currentIdentity } from './identity';
import { adminAccess } from '../k8s/admin-access';
import { clientFor } from '../k8s/client';
import { settings } from '../settings';

// For pages: the signed-in user's display data, or a redirect to the sign-in page that comes back here after.
export async function requireUser(returnTo: string) {
  const who = await currentIdentity();
  if (!who.ok) redirect(`/signin?reason=${who.reason}&callbackUrl=${encodeURIComponent(returnTo)}`);
  return { displayName: who.displayName, groups: who.identity.groups, mode: settings().authMode };
}

// For the admin area's frame (app/admin/layout.tsx), which does not know which of its pages was asked for: instead of
// redirecting to sign in (and back to the wrong page), it says who is signed in, or why no one is, and the browser
// goes to sign in with its own address. `access` is undefined when the reviews could not be asked (the API server is
// down).
export async function adminPageAccess() {
  const who = await currentIdentity();
  if (!who.ok) return { signedIn: false as const, reason: who.reason };
  const user = { displayName: who.displayName, groups: who.identity.groups, mode: settings().authMode };
  try {
    return { signedIn: true as const, user, access: await adminAccess(await clientFor(who.identity)) };
  } catch {
    return { signedIn: true as const, user, access: undefined };
  }
}
