// No 'server-only' marker: server.ts loads this for the console websockets (lib/ws/), outside Next's bundler.
import { z } from 'zod';
import type { AuthMode } from '../settings';

// What the portal keeps in next-auth's encrypted JWT cookie. The tokens stay in there: the session callback hands
// the browser only the user's name, groups and mode. The cookie is read back through this schema, so a cookie
// from an older portal (say, one without a sign-in time) is no session rather than a half-checked one.
const portalTokenSchema = z.object({
  sid: z.string().min(1), // session id, for revocation on sign-out
  username: z.string(),
  groups: z.array(z.string()),
  email: z.string().optional(),
  name: z.string().optional(),
  idToken: z.string().min(1),
  refreshToken: z.string().optional(),
  expiresAt: z.number(), // ID token expiry, epoch seconds
  signedInAt: z.number(), // epoch seconds; the absolute session lifetime counts from here
  error: z.literal('RefreshFailed').optional(),
});

export type PortalToken = z.infer<typeof portalTokenSchema>;

export function parsePortalToken(value: unknown): PortalToken | undefined {
  const r = portalTokenSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

export interface PortalSession {
  user: { name: string; email?: string; username: string; groups: string[] };
  expires: string;
  mode: AuthMode;
  error?: 'RefreshFailed';
}
