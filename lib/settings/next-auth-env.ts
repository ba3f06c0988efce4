import type { PublicUrl } from './public-url';

// next-auth reads NEXTAUTH_URL from the environment itself (its callback URLs), so the public URL the portal settled
// on, default included, is written back for it before Next starts; so is a session secret server.ts generated, which
// the route handlers' own reading of the settings then finds.
export function shareWithNextAuth(site: PublicUrl, secret: string): void {
  process.env.NEXTAUTH_URL = site.url;
  process.env.NEXTAUTH_SECRET = secret;
}
