import { expect, test } from '@playwright/test';
import { signIn } from './support/portal';

// Acceptance 6: signing out ends the session, and a request that replays the old session cookie is refused.
test('sign-out ends the session and the old cookie is refused', async ({ page, playwright, baseURL }) => {
  await signIn(page, 'dev-a');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.includes('next-auth.session-token'));
  expect(session).toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
  // Tokens never reach browser JavaScript: the session endpoint has the user, not the tokens.
  const sessionJson = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.text()));
  expect(sessionJson).toContain('dev-a');
  expect(sessionJson).not.toMatch(/eyJ|idToken|refreshToken/);
  expect(await page.evaluate(() => document.cookie)).not.toContain('session-token');

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  expect((await page.context().cookies()).find((c) => c.name === session!.name)).toBeUndefined();
  await page.goto('/vms');
  await expect(page).toHaveURL(/\/signin/);

  // Replay the cookie from before sign-out in a fresh client.
  const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `${session!.name}=${session!.value}` } });
  const api = await replay.get('/api/namespaces');
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe('unauthenticated');
  const pageRes = await replay.get('/vms', { maxRedirects: 0 });
  expect(pageRes.status()).toBe(307);
  expect(pageRes.headers().location).toContain('/signin');
  const sess = await replay.get('/api/auth/session');
  expect(await sess.text()).not.toContain('dev-a');
  await replay.dispose();
});
