import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

// next-auth's routes: sign-in redirect to the IdP, callback, session (which refreshes the ID token), csrf, sign-out.
const handler = (req: Request, ctx: unknown) => NextAuth(authOptions())(req as never, ctx as never);

export { handler as GET, handler as POST };
