import { describe, expect, it } from 'vitest';
import { mapApiError, mapTransportError, parseQuotaMessage, scrub, toPortalError, upstreamUnreachable } from './errors';
import { sampleValue } from '../metrics/test-samples';

const status = (code: number, reason: string, message: string, details?: object) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? { details } : {}) });

describe('error mapping', () => {
  it('403 names the verb and the resource that were denied', () => {
    const e = mapApiError(
      403,
      status(403, 'Forbidden', 'virtualmachines.kubevirt.io "x" is forbidden: User "dev-b" cannot get resource "virtualmachines" in API group "kubevirt.io" in the namespace "team-a"'),
      { verb: 'get', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', name: 'x' },
    );
    expect(e.status).toBe(403);
    expect(e.code).toBe('forbidden');
    expect(e.message).toBe('Not allowed to get virtualmachines.kubevirt.io "x" in namespace "team-a".');
    expect(e.details).toMatchObject({ verb: 'get', resource: 'virtualmachines.kubevirt.io', namespace: 'team-a', upstreamReason: 'Forbidden' });
  });

  it('a 403 that is not RBAC keeps the API server’s reason (KubeVirt refusing to pause a VMI with a liveness probe)', () => {
    const e = mapApiError(403, status(403, 'Forbidden', 'virtualmachineinstance.kubevirt.io "v" is forbidden: Pausing VMIs with LivenessProbe is currently not supported'), {
      verb: 'update',
      resource: 'virtualmachineinstances/pause',
      namespace: 'n',
      name: 'v',
    });
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('Pausing VMIs with LivenessProbe is currently not supported');
  });

  it('409 keeps KubeVirt’s reason and the causes', () => {
    const e = mapApiError(
      409,
      status(409, 'Conflict', 'Operation cannot be fulfilled on virtualmachine.kubevirt.io "myvm": VM is already running', {
        name: 'myvm',
        group: 'kubevirt.io',
        kind: 'virtualmachine',
        causes: [{ reason: 'FieldValueInvalid', message: 'already running', field: 'spec.runStrategy' }],
      }),
    );
    expect(e.status).toBe(409);
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('Operation cannot be fulfilled on virtualmachine.kubevirt.io "myvm": VM is already running');
    expect(e.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'already running', field: 'spec.runStrategy' }]);
  });

  it('422 keeps the validation causes', () => {
    const e = mapApiError(
      422,
      status(422, 'Invalid', 'VirtualMachine.kubevirt.io "x" is invalid: spec.runStrategy: Unsupported value', {
        causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes"', field: 'spec.runStrategy' }],
      }),
    );
    expect(e.code).toBe('invalid');
    expect(e.details?.causes).toEqual([{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes"', field: 'spec.runStrategy' }]);
  });

  it('a quota refusal says which limit', () => {
    const msg = 'virtualmachineinstances.kubevirt.io "big" is forbidden: exceeded quota: team-quota, requested: requests.memory=8Gi, used: requests.memory=1Gi, limited: requests.memory=4Gi';
    const e = mapApiError(403, status(403, 'Forbidden', msg), { verb: 'create', resource: 'virtualmachineinstances.kubevirt.io', namespace: 'team-a' });
    expect(e.code).toBe('quota_exceeded');
    expect(e.details).toMatchObject({ quota: 'team-quota', resources: ['requests.memory'], requested: { 'requests.memory': '8Gi' }, limited: { 'requests.memory': '4Gi' } });
    expect(e.message).toContain('requests.memory (quota team-quota)');
    expect(parseQuotaMessage('something else')).toBeUndefined();
  });

  it('virt-api’s own 401 with a plain-text reason is a denial, not a sign-in problem', () => {
    const e = mapApiError(401, 'User dev-a is not allowed to console VMI team-a/x', { verb: 'get', resource: 'virtualmachineinstances/console', namespace: 'team-a', name: 'x' });
    expect(e.code).toBe('forbidden');
    expect(e.status).toBe(403);
    expect(mapApiError(401, status(401, 'Unauthorized', 'Unauthorized')).code).toBe('unauthenticated');
  });

  it('a plain-text 500 (guest-agent GETs) is an upstream error with its text', () => {
    const e = mapApiError(500, 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "x": VMI does not have guest agent connected');
    expect(e.status).toBe(502);
    expect(e.code).toBe('upstream_error');
    expect(e.message).toContain('VMI does not have guest agent connected');
  });

  it('maps 404, 410 and 429', () => {
    expect(mapApiError(404, status(404, 'NotFound', 'virtualmachine.kubevirt.io "x" not found')).code).toBe('not_found');
    expect(mapApiError(410, status(410, 'Expired', 'too old resource version')).code).toBe('gone');
    expect(mapApiError(429, status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 })).details).toMatchObject({ retryAfterSeconds: 3 });
  });

  it('never leaks tokens, headers or certificates from upstream text', () => {
    const leaky =
      'proxy error: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl cookie=next-auth.session-token=abc -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE----- ?access_token=secret123';
    const e = mapApiError(502, leaky);
    expect(e.message).not.toMatch(/eyJ|abc|MIIB|secret123/);
    expect(JSON.stringify(e.toBody())).not.toMatch(/eyJ|MIIB|secret123/);
    expect(scrub('Bearer abc.def')).toBe('Bearer [redacted]');
    expect(scrub('x'.repeat(5000)).length).toBeLessThanOrEqual(600);
  });

  it('scrubs the other shapes credentials come in', () => {
    const text = scrub(
      'upstream said: Basic ZGV2LWE6c2VjcmV0cGFzcw== {"client_secret":"s3cr3t","id_token":"abc.def"} password=hunter2 https://admin:pw@10.0.0.1/x X-Remote-User: admin -----BEGIN PRIVATE KEY-----\nMIIEv',
    );
    expect(text).not.toMatch(/ZGV2LWE6|s3cr3t|abc\.def|hunter2|admin:pw|X-Remote-User: admin|MIIEv/);
    expect(text).toContain('upstream said');
  });

  it('a 5xx page of a proxy is reduced to its status; odd upstream reasons are not passed on', () => {
    const e = mapApiError(503, '<html><body>backend 10.0.0.7:6443 down, token=abc</body></html>');
    expect(e.status).toBe(502);
    expect(e.message).toBe('HTTP 503');
    const odd = mapApiError(500, status(500, 'InternalError <script>', 'etcd: Authorization: Bearer abc.def'));
    expect(odd.details?.upstreamReason).toBeUndefined();
    expect(JSON.stringify(odd.toBody())).not.toMatch(/abc\.def/);
  });

  it('a watch ERROR event (a Status object) maps and scrubs like an answer', () => {
    const e = mapApiError(500, { kind: 'Status', code: 500, reason: 'InternalError', message: 'watch failed: Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln' }, { verb: 'watch', resource: 'virtualmachines.kubevirt.io', namespace: 'a' });
    expect(e.code).toBe('upstream_error');
    expect(e.message).not.toMatch(/eyJ/);
  });

  it('network failures say the API server is unreachable without the raw error', () => {
    const e = mapTransportError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443 with token eyJxxx'), { code: 'ECONNREFUSED' }));
    expect(e.code).toBe('api_unreachable');
    expect(e.message).not.toContain('eyJ');
    expect(toPortalError(new Error('boom')).code).toBe('internal');
    expect(toPortalError(new Error('boom')).message).not.toContain('boom');
  });

  it('renders the one error shape', () => {
    expect(mapApiError(404, status(404, 'NotFound', 'gone')).toBody()).toEqual({
      error: { code: 'not_found', message: 'gone', details: { upstreamStatus: 404, reason: 'gone', upstreamReason: 'NotFound' } },
    });
  });

  it('counts every upstream answer it maps in portal_upstream_errors_total, by status and reason', async () => {
    const forbidden = { status: '403', reason: 'Forbidden' };
    const plain = { status: '502', reason: 'none' };
    const [f0, p0] = [await sampleValue('portal_upstream_errors_total', forbidden), await sampleValue('portal_upstream_errors_total', plain)];
    mapApiError(403, status(403, 'Forbidden', 'no'));
    mapApiError(403, status(403, 'Forbidden', 'no'));
    mapApiError(502, '<html>bad gateway</html>');
    expect(await sampleValue('portal_upstream_errors_total', forbidden)).toBe(f0 + 2);
    expect(await sampleValue('portal_upstream_errors_total', plain)).toBe(p0 + 1);
  });

  it('counts a request that got no answer once, where it failed, not each time the error is mapped again', async () => {
    const refused = { status: 'transport', reason: 'ECONNREFUSED' };
    const before = await sampleValue('portal_upstream_errors_total', refused);
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    expect(upstreamUnreachable(err).code).toBe('api_unreachable');
    toPortalError(err);
    mapTransportError(err);
    expect(await sampleValue('portal_upstream_errors_total', refused)).toBe(before + 1);
  });
});
