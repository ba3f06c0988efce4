import { describe, expect, it } from 'vitest';
import { clampReason, closeForRefusal, closeForUpstreamEnd } from './close';
import { mapApiError, mapTransportError, PortalError } from '../k8s/errors';
import { closeAdvice, ConsoleClose, MAX_CLOSE_REASON_BYTES } from '../shared/console-protocol';

const ctx = { verb: 'get', resource: 'virtualmachineinstances/console', namespace: 'ns', name: 'vm' };
const status = (code: number, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message });

describe('closeForRefusal', () => {
  it('keeps KubeVirt’s words for a VMI that cannot be reached', () => {
    expect(closeForRefusal(mapApiError(400, status(400, 'VMI is not running'), ctx))).toEqual({ code: ConsoleClose.REFUSED_BAD_REQUEST, reason: 'VMI is not running' });
    expect(closeForRefusal(mapApiError(409, status(409, 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "vm": VMI is in failed status'), ctx)).code).toBe(
      ConsoleClose.REFUSED_CONFLICT,
    );
    expect(closeForRefusal(mapApiError(404, status(404, 'virtualmachineinstance.kubevirt.io "vm" not found'), ctx))).toEqual({
      code: ConsoleClose.REFUSED_NOT_FOUND,
      reason: 'virtualmachineinstance.kubevirt.io "vm" not found',
    });
  });

  it('passes a refused VNC preserveSession on as said', () => {
    expect(closeForRefusal(mapApiError(409, 'Active VNC connection. Request denied.', { ...ctx, resource: 'virtualmachineinstances/vnc' }))).toEqual({
      code: ConsoleClose.REFUSED_CONFLICT,
      reason: 'Active VNC connection. Request denied.',
    });
  });

  it('tells denials (final) from outages (retried)', () => {
    const denied = closeForRefusal(mapApiError(403, status(403, 'virtualmachineinstances.subresources.kubevirt.io "vm" is forbidden: User "bob" cannot get resource'), ctx));
    expect(denied.code).toBe(ConsoleClose.REFUSED_FORBIDDEN);
    expect(closeAdvice(denied.code)).toBe('final');
    // virt-api's own authorizer answers 401 with plain text: a denial too.
    expect(closeForRefusal(mapApiError(401, 'unknown user', ctx)).code).toBe(ConsoleClose.REFUSED_FORBIDDEN);
    expect(closeForRefusal(mapApiError(401, status(401, 'Unauthorized'), ctx)).code).toBe(ConsoleClose.REFUSED_UNAUTHENTICATED);
    const down = closeForRefusal(mapTransportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    expect(down.code).toBe(ConsoleClose.UPSTREAM_UNAVAILABLE);
    expect(closeAdvice(down.code)).toBe('retry');
    expect(closeForRefusal(new PortalError(502, 'upstream_error', 'boom')).code).toBe(ConsoleClose.UPSTREAM_UNAVAILABLE);
  });

  it('never passes a credential on', () => {
    const r = closeForRefusal(mapApiError(400, 'bad request: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.sig', ctx));
    expect(r.reason).not.toMatch(/eyJ/);
  });
});

describe('closeForUpstreamEnd', () => {
  it('says the VM’s console closed, with what it said if anything', () => {
    expect(closeForUpstreamEnd(1006, '')).toEqual({ code: ConsoleClose.UPSTREAM_CLOSED, reason: 'The VM’s console closed.' });
    expect(closeForUpstreamEnd(1000, 'bye')).toEqual({ code: ConsoleClose.UPSTREAM_CLOSED, reason: 'The VM’s console closed: bye' });
    expect(closeForUpstreamEnd(1009, '').reason).toMatch(/larger/);
    expect(closeAdvice(closeForUpstreamEnd(1006, '').code)).toBe('retry');
  });
});

describe('clampReason', () => {
  it('fits 123 bytes of UTF-8 without splitting a character', () => {
    const long = '虚拟机'.repeat(100);
    const r = clampReason(long);
    expect(Buffer.byteLength(r)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(r.endsWith('…')).toBe(true);
    expect(r).not.toMatch(/\uFFFD/);
    expect(clampReason('  short\n text ')).toBe('short text');
  });
});

describe('closeAdvice', () => {
  it('stops after refusals and sign-out, refreshes after expiry, retries the rest', () => {
    for (const c of [ConsoleClose.SESSION_ENDED, ConsoleClose.REPLACED, ConsoleClose.TOO_MANY, ConsoleClose.REFUSED_FORBIDDEN, ConsoleClose.REFUSED_UNAUTHENTICATED, 1000]) {
      expect(closeAdvice(c)).toBe('final');
    }
    expect(closeAdvice(ConsoleClose.SESSION_EXPIRED)).toBe('refresh');
    for (const c of [1001, 1006, 1011, ConsoleClose.UPSTREAM_CLOSED, ConsoleClose.UNRESPONSIVE, ConsoleClose.REFUSED_BAD_REQUEST, ConsoleClose.REFUSED_NOT_FOUND, 4502]) {
      expect(closeAdvice(c)).toBe('retry');
    }
  });
});
