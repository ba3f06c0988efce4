import http from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support/portal';

// Issue 9: the portal as an attacker meets it, against the real portal and API server.
const portal = new URL(process.env.PORTAL_URL ?? 'http://localhost:3000');

/** A raw HTTP request, so Host and Origin are exactly what an attacker sends (fetch clients rewrite Host). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: portal.hostname, port: portal.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The signed-in page's cookies as a header, and next-auth's CSRF token that goes with them. */
async function credentials(page: Page) {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

test('a forged Host and Origin pair is refused, the real origin accepted', async ({ page }) => {
  await signIn(page, 'dev-a');
  const { cookie, csrfToken } = await credentials(page);
  const body = JSON.stringify({ checks: [{ verb: 'get', group: 'kubevirt.io', resource: 'virtualmachines', namespace: 'team-a' }] });
  const common = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  // DNS rebinding: evil.example resolves to the portal, so Host and Origin agree with each other, not with the portal.
  const forged = await raw('POST', '/api/access', { ...common, host: 'evil.example:3000', origin: 'http://evil.example:3000' }, body);
  expect(forged.status).toBe(403);
  expect(JSON.parse(forged.text).error.code).toBe('csrf');
  const real = await raw('POST', '/api/access', { ...common, host: portal.host, origin: portal.origin }, body);
  expect(real.status).toBe(200);
});

test('broken bodies, parameters and path segments answer 400 in the error shape', async ({ page }) => {
  await signIn(page, 'dev-a');
  const { cookie, csrfToken } = await credentials(page);
  const post = (path: string, body: string) => raw('POST', path, { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json', host: portal.host, origin: portal.origin }, body);
  for (const r of [
    await post('/api/access', '{"checks": ['),
    await post('/api/vms/team-a/some-vm/actions/start', '{broken'),
    await raw('GET', '/vms/%E0/x', { cookie }),
  ]) {
    expect(r.status, r.text).toBe(400);
    expect(JSON.parse(r.text).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
});

test('a callbackUrl that leaves the site is not followed', async ({ page }) => {
  await page.goto('/signin?callbackUrl=/%5Cevil.example');
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/dex\//);
  await page.locator('input[name="login"]').fill('dev-a@sandbox.test');
  await page.locator('input[name="password"]').fill('dev-a');
  await page.locator('button[type="submit"], #submit-login').first().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/dex') && !url.pathname.startsWith('/api/auth'), { timeout: 30_000 });
  expect(new URL(page.url()).origin).toBe(portal.origin);
  await expect(page.getByTestId('current-user')).toContainText('dev-a');
});

test('pages carry the security headers and run under their Content-Security-Policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, 'dev-a');
  const res = await page.goto('/vms');
  const h = res!.headers();
  expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBeTruthy();
  await expect(page.getByTestId('vm-search')).toBeVisible();
  expect(violations).toEqual([]);
});
