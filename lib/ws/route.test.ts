import { describe, expect, it } from 'vitest';
import { parseConsoleUrl, subresourceOf } from './route';
import { consolePath } from '../shared/console-protocol';

describe('parseConsoleUrl', () => {
  it('reads the serial and vnc consoles of a VMI', () => {
    expect(parseConsoleUrl('/api/consoles/team-a/vm-1/serial')).toEqual({ ok: true, target: { kind: 'serial', namespace: 'team-a', name: 'vm-1' } });
    expect(parseConsoleUrl('/api/consoles/team-a/vm.v2/vnc')).toEqual({ ok: true, target: { kind: 'vnc', namespace: 'team-a', name: 'vm.v2' } });
  });

  it('round-trips the paths the browser builds', () => {
    expect(parseConsoleUrl(consolePath('serial', 'ns', 'a.b-c'))).toMatchObject({ ok: true, target: { kind: 'serial', namespace: 'ns', name: 'a.b-c' } });
    expect(parseConsoleUrl(consolePath('vnc', 'ns', 'x', { preserveSession: true }))).toEqual({ ok: true, target: { kind: 'vnc', namespace: 'ns', name: 'x', preserveSession: true } });
    expect(parseConsoleUrl(consolePath('vnc', 'ns', 'x', { preserveSession: false }))).toMatchObject({ ok: true, target: { preserveSession: false } });
  });

  it.each([
    '/api/consoles',
    '/api/consoles/',
    '/api/consoles/ns/vm',
    '/api/consoles/ns/vm/ssh',
    '/api/consoles/ns/vm/serial/extra',
    '/api/consoles/ns//serial',
    '/api/consoles//vm/serial',
    '/api/consoles/ns/vm/serial/',
    '/api/consolesX/ns/vm/serial',
    '/elsewhere',
    undefined,
  ])('finds no console at %s (404)', (url) => {
    expect(parseConsoleUrl(url)).toMatchObject({ ok: false, status: 404, code: 'not_found' });
  });

  it.each([
    ['/api/consoles/Team_A/vm/serial', /namespace/],
    ['/api/consoles/ns/VM/serial', /name/],
    ['/api/consoles/ns/..%2F..%2Fsecrets/serial', /name/],
    ['/api/consoles/%E0%A4%A/vm/serial', /percent-decode/],
    [`/api/consoles/${'a'.repeat(64)}/vm/serial`, /namespace/],
    ['/api/consoles/ns/vm/serial?preserveSession=true', /no query/],
    ['/api/consoles/ns/vm/serial?token=abc', /no query/],
    ['/api/consoles/ns/vm/vnc?preserveSession=yes', /true or false/],
    ['/api/consoles/ns/vm/vnc?preserveSession=true&preserveSession=false', /one query parameter/],
    ['/api/consoles/ns/vm/vnc?preserveSession=true&x=1', /one query parameter/],
    ['/api/consoles/ns/vm/vnc?access_token=abc', /one query parameter/],
  ])('refuses %s as a bad request', (url, message) => {
    const r = parseConsoleUrl(url);
    expect(r).toMatchObject({ ok: false, status: 400, code: 'bad_request' });
    expect(r.ok ? '' : r.message).toMatch(message);
  });

  it('names the KubeVirt subresource of each kind', () => {
    expect(subresourceOf('serial')).toBe('console');
    expect(subresourceOf('vnc')).toBe('vnc');
  });
});
