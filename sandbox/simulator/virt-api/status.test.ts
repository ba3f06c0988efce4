import { describe, expect, it } from 'vitest';
import { ApiError } from '../kube/client.ts';
import { apiErrorMessage, badRequest, conflict, forbidden, internalError, notFound, vmResource, vmiResource } from './status.ts';

describe('Status builders (apimachinery errors as virt-api writes them)', () => {
  it('Conflict names virtualmachine.kubevirt.io', () => {
    expect(conflict(vmResource, 'myvm', 'VM is already running')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on virtualmachine.kubevirt.io "myvm": VM is already running',
      reason: 'Conflict',
      details: { name: 'myvm', group: 'kubevirt.io', kind: 'virtualmachine' },
      code: 409,
    });
  });

  it('NotFound', () => {
    const s = notFound(vmiResource, 'x');
    expect(s.message).toBe('virtualmachineinstance.kubevirt.io "x" not found');
    expect(s.reason).toBe('NotFound');
    expect(s.code).toBe(404);
    expect(s.details).toEqual({ name: 'x', group: 'kubevirt.io', kind: 'virtualmachineinstance' });
  });

  it('BadRequest has no details', () => {
    expect(badRequest('VMI is not running')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'VMI is not running',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('InternalError carries the error as its cause', () => {
    const s = internalError('unable to complete request: stop/start already underway');
    expect(s.message).toBe('Internal error occurred: unable to complete request: stop/start already underway');
    expect(s.reason).toBe('InternalError');
    expect(s.code).toBe(500);
    expect(s.details).toEqual({ causes: [{ message: 'unable to complete request: stop/start already underway' }] });
  });

  it('Forbidden', () => {
    const s = forbidden(vmiResource, 'v', 'Pausing VMIs with LivenessProbe is currently not supported');
    expect(s.message).toBe('virtualmachineinstance.kubevirt.io "v" is forbidden: Pausing VMIs with LivenessProbe is currently not supported');
    expect(s.code).toBe(403);
    expect(s.reason).toBe('Forbidden');
  });

  it('serialises in Go field order', () => {
    expect(Object.keys(conflict(vmResource, 'a', 'b'))).toEqual(['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code']);
  });
});

describe('apiErrorMessage (client-go err.Error())', () => {
  it('uses the Status message', () => {
    const e = new ApiError(422, JSON.stringify({ kind: 'Status', message: 'the server rejected our request due to an error in our request' }), 'PATCH x');
    expect(apiErrorMessage(e)).toBe('the server rejected our request due to an error in our request');
  });
  it('makes up the generic text for other bodies', () => {
    expect(apiErrorMessage(new ApiError(500, 'boom', 'x'))).toBe('an error on the server ("boom") has prevented the request from succeeding');
    expect(apiErrorMessage(new ApiError(409, '', 'x'))).toBe('the server reported a conflict');
  });
  it('passes other errors through', () => {
    expect(apiErrorMessage(new Error('ECONNREFUSED'))).toBe('ECONNREFUSED');
  });
});
