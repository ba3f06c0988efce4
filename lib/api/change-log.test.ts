import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortalError } from '../k8s/errors';
import { logChange, recordChange } from './change-log';

vi.mock('server-only', () => ({}));

const who = { requestId: 'req-12345678', client: { identity: { mode: 'token' as const, username: 'admin', groups: ['portal-admins'], token: 'secret-token' } } };
const change = { action: 'project.edit', target: { kind: 'Namespace', name: 'team-c' }, details: { part: 'quota' } };

function lines(spy: { mock: { calls: unknown[][] } }) {
  return spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('change log lines', () => {
  it('say who, what, which object and the result, and never the token', () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    logChange(who, change);
    const [line] = lines(out);
    expect(line).toMatchObject({ level: 'info', msg: 'change', requestId: 'req-12345678', user: 'admin', groups: ['portal-admins'], action: 'project.edit', kind: 'Namespace', name: 'team-c', result: 'succeeded', part: 'quota' });
    expect(JSON.stringify(line)).not.toContain('secret-token');
  });

  it('a refusal is logged with its status and code, and passed on', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const refusal = new PortalError(403, 'forbidden', 'Not allowed to create namespaces.');
    await expect(recordChange(who, change, () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(lines(out)[0]).toMatchObject({ result: 'refused', status: 403, code: 'forbidden' });
  });

  it('an unexpected failure is a warning', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    await expect(recordChange(who, change, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lines(err)[0]).toMatchObject({ level: 'warn', result: 'failed', status: 500, code: 'internal' });
  });

  it('a success returns the change\'s value', async () => {
    vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    expect(await recordChange(who, change, async () => 42)).toBe(42);
  });
});
