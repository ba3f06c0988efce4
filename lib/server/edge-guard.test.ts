import { describe, expect, it } from 'vitest';
import { refuseAtEdge } from './edge-guard';

describe('requests refused before Next', () => {
  it('a path segment with a malformed percent-escape is 400 in the error shape', () => {
    for (const url of ['/vms/%E0/x', '/api/vms/%E0/x/actions/start', '/%', '/vms/team-a/%zz?x=1']) {
      expect(refuseAtEdge({ url, headers: {} })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'The request path is not valid percent-encoding.' } } });
    }
  });

  it('a well-encoded path passes, whatever its query says', () => {
    expect(refuseAtEdge({ url: '/vms/team-a/vm%2D1?rv=%E0', headers: {} })).toBeUndefined();
    expect(refuseAtEdge({ url: '/_next/static/chunks/a.js', headers: {} })).toBeUndefined();
  });

  it('an API path with a dot segment, plain or percent-encoded, is 400 in the error shape (Next would redirect)', () => {
    for (const url of ['/api/vms/team-a/..', '/api/vms/team-a/fuzz/snapshots/%2e%2E', '/api/vms/./x/edit', '/api/vms/team-a/.%2e/actions/start?x=1']) {
      expect(refuseAtEdge({ url, headers: {} })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'The request path has a "." or ".." segment.' } } });
    }
    // Dots inside a name, and pages (Next's own normalization stays theirs), pass.
    for (const url of ['/api/vms/team-a/vm.1/edit', '/api/vms/team-a/a..b/edit', '/vms/team-a/..']) expect(refuseAtEdge({ url, headers: {} })).toBeUndefined();
  });

  it('a body declared over 1 MiB is 413', () => {
    const r = refuseAtEdge({ url: '/api/auth/signin/sandbox', headers: { 'content-length': String(1024 * 1024 + 1) } });
    expect(r?.status).toBe(413);
    expect(r?.body.error.code).toBe('payload_too_large');
    expect(refuseAtEdge({ url: '/api/access', headers: { 'content-length': String(1024 * 1024) } })).toBeUndefined();
  });
});
