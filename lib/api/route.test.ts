import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { withUser } from './route';
import { fromPortal, portalEnv, portalRequest, routeParams } from './test-requests';

vi.mock('server-only', () => ({}));
vi.mock('../auth/identity', () => ({
  currentIdentity: async () => ({ ok: true, identity: { mode: 'token', username: 'dev-a', groups: [], token: 't' }, displayName: 'dev-a' }),
}));
vi.mock('../k8s/client', () => ({ clientFor: async (identity: unknown) => ({ identity }) }));

const request = (method: string, headers: Record<string, string> = {}, body?: BodyInit) => portalRequest(method, '/api/thing', { headers, body });
const noParams = routeParams({});
const ok = vi.fn(async () => Response.json({ ok: true }));

beforeEach(() => {
  portalEnv();
  ok.mockClear();
});

describe('withUser: cross-site protection', () => {
  it('checks every method but GET and HEAD, with no flag to set', async () => {
    const route = withUser(ok);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await route(request(method, { origin: 'http://localhost:3000' }), noParams);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf');
    }
    expect(ok).not.toHaveBeenCalled();
    expect((await route(request('GET'), noParams)).status).toBe(200);
    expect((await route(request('POST', fromPortal), noParams)).status).toBe(200);
  });

  it('refuses a forged Host and Origin pair (DNS rebinding), even with a valid token', async () => {
    const rebound = { ...fromPortal, host: 'rebind.example:3000', origin: 'http://rebind.example:3000' };
    const res = await withUser(ok)(request('POST', rebound), noParams);
    expect(res.status).toBe(403);
    expect(ok).not.toHaveBeenCalled();
  });

  it('accepts the configured public origin when the portal sits behind a proxy with another Host', async () => {
    portalEnv({ NEXTAUTH_URL: 'https://portal.example.com' });
    const secureCookie = fromPortal.cookie!.replace('next-auth.csrf-token', '__Host-next-auth.csrf-token');
    const res = await withUser(ok)(request('POST', { ...fromPortal, cookie: secureCookie, host: '10.0.0.5:3000', origin: 'https://portal.example.com' }), noParams);
    expect(res.status).toBe(200);
  });
});

describe('withUser: bad input is the caller’s 4xx', () => {
  const schema = z.object({ n: z.number() });
  const echo = withUser(async (_req, ctx) => Response.json(await ctx.body(schema)));

  it('broken JSON is 400 in the error shape', async () => {
    const res = await echo(request('POST', fromPortal, '{"n":'), noParams);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
  });

  it('a body the schema refuses is 400 with the issues', async () => {
    const res = await echo(request('POST', fromPortal, '{"n":"1"}'), noParams);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', details: { issues: [{ path: 'n' }] } });
  });

  it('a valid body reaches the handler', async () => {
    const res = await echo(request('POST', fromPortal, '{"n":1}'), noParams);
    expect(await res.json()).toEqual({ n: 1 });
  });

  it('a body over the limit is 413, by its declared length or while reading', async () => {
    const declared = await echo(request('POST', { ...fromPortal, 'content-length': String(2 * 1024 * 1024) }, '{"n":1}'), noParams);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('payload_too_large');

    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const streamed = await echo(request('POST', fromPortal, endless), noParams);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(2 * 1024 * 1024);
  });

  it('path parameters are validated by the route’s schema: a bad one is 400, never reaching the handler', async () => {
    const route = withUser(ok, { params: z.object({ namespace: z.string().regex(/^[a-z]+$/) }) });
    const res = await route(request('GET'), { params: Promise.resolve({ namespace: '../x' }) });
    expect(res.status).toBe(400);
    expect(ok).not.toHaveBeenCalled();
    expect((await route(request('GET'), { params: Promise.resolve({ namespace: 'team' }) })).status).toBe(200);
  });
});

describe('withUser: a request its browser abandoned', () => {
  it('is logged as abandoned, not as a failure of the portal', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      const controller = new AbortController();
      const req = new (await import('next/server')).NextRequest('http://localhost:3000/api/list', { signal: controller.signal });
      const route = withUser(async () => {
        controller.abort();
        throw new DOMException('The operation was aborted', 'AbortError');
      });
      await route(req, noParams);
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
    const logged = lines.join('');
    expect(logged).toContain('request abandoned by the client');
    expect(logged).not.toContain('route failed');
  });
});
