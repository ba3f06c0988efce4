import { describe, expect, it } from 'vitest';
import { diagnoseConsole } from './diagnose';
import { ConsoleClose } from '../shared/console-protocol';

const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const input = (fetch: (url: string, init: RequestInit) => Promise<Response>) => ({ kind: 'serial' as const, namespace: 'ns', name: 'vm', pageOrigin: 'http://localhost:3000', fetch });

describe('diagnoseConsole', () => {
  it('asks the console’s own address', async () => {
    const urls: string[] = [];
    await diagnoseConsole(
      input(async (url) => {
        urls.push(url);
        return new Response('{}');
      }),
    );
    expect(urls).toEqual(['/api/consoles/ns/vm/serial']);
  });

  it('retries when the console may be opened, or the check itself fails', async () => {
    expect(await diagnoseConsole(input(answer(200, { allowed: true, origin: 'http://localhost:3000' })))).toEqual({ verdict: 'retry' });
    expect(await diagnoseConsole(input(answer(502, { error: { code: 'api_unreachable', message: 'x' } })))).toEqual({ verdict: 'retry' });
    expect(await diagnoseConsole(input(answer(429, {})))).toEqual({ verdict: 'retry' });
    expect(await diagnoseConsole(input(() => Promise.reject(new TypeError('network'))))).toEqual({ verdict: 'retry' });
  });

  it('stops with the refusal’s words', async () => {
    expect(await diagnoseConsole(input(answer(401, { error: { code: 'unauthenticated', message: 'Sign in first.' } })))).toEqual({
      verdict: 'final',
      code: ConsoleClose.SESSION_ENDED,
      reason: 'Sign in first.',
    });
    expect(await diagnoseConsole(input(answer(403, { error: { code: 'forbidden', message: 'Not allowed' } })))).toEqual({ verdict: 'final', code: ConsoleClose.REFUSED_FORBIDDEN, reason: 'Not allowed' });
    expect(await diagnoseConsole(input(answer(400, { error: { code: 'bad_request', message: 'bad' } })))).toMatchObject({ verdict: 'final' });
  });

  it('stops when the page is not on the portal’s public address', async () => {
    expect(await diagnoseConsole(input(answer(200, { allowed: true, origin: 'https://portal.example.com' })))).toEqual({
      verdict: 'final',
      code: ConsoleClose.WRONG_ORIGIN,
      reason: 'https://portal.example.com',
    });
  });
});
