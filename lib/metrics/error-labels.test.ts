import { describe, expect, it } from 'vitest';
import { IDP_ERROR_KINDS, idpErrorKindOfNextAuth, transportErrorLabels, upstreamAnswerLabels } from './error-labels';

describe('upstream error labels', () => {
  it('keep the HTTP status and the API server’s own reasons', () => {
    expect(upstreamAnswerLabels(403, 'Forbidden')).toEqual({ status: '403', reason: 'Forbidden' });
    expect(upstreamAnswerLabels(410, 'Expired')).toEqual({ status: '410', reason: 'Expired' });
    expect(upstreamAnswerLabels(500, 'InternalError')).toEqual({ status: '500', reason: 'InternalError' });
  });

  it('fold a missing, unknown or odd reason and an impossible status into fixed values', () => {
    expect(upstreamAnswerLabels(502, undefined)).toEqual({ status: '502', reason: 'none' });
    expect(upstreamAnswerLabels(400, '')).toEqual({ status: '400', reason: 'none' });
    expect(upstreamAnswerLabels(409, 'SomethingNew')).toEqual({ status: '409', reason: 'other' });
    expect(upstreamAnswerLabels(403, 'Forbidden"} 1\nevil{a="')).toEqual({ status: '403', reason: 'other' });
    expect(upstreamAnswerLabels(0, 'NotFound').status).toBe('other');
    expect(upstreamAnswerLabels(1234, 'NotFound').status).toBe('other');
    expect(upstreamAnswerLabels(40.5, 'NotFound').status).toBe('other');
  });

  it('name a request that got no answer by the kind of network failure', () => {
    expect(transportErrorLabels(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toEqual({ status: 'transport', reason: 'ECONNREFUSED' });
    expect(transportErrorLabels({ code: 'ECONNRESET' }).reason).toBe('ECONNRESET');
    expect(transportErrorLabels({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }).reason).toBe('tls');
    expect(transportErrorLabels({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }).reason).toBe('tls');
    expect(transportErrorLabels({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }).reason).toBe('tls');
    expect(transportErrorLabels({ code: 'EWHATEVER' }).reason).toBe('other');
    expect(transportErrorLabels(new Error('no code')).reason).toBe('other');
    expect(transportErrorLabels(null).reason).toBe('other');
  });
});

describe('identity-provider error kinds', () => {
  it('map next-auth’s codes for the provider’s failures, and none of its others', () => {
    expect(idpErrorKindOfNextAuth('OAUTH_CALLBACK_ERROR')).toBe('token_exchange');
    expect(idpErrorKindOfNextAuth('OAUTH_CALLBACK_HANDLER_ERROR')).toBe('token_exchange');
    expect(idpErrorKindOfNextAuth('SIGNIN_OAUTH_ERROR')).toBe('sign_in');
    expect(idpErrorKindOfNextAuth('OAUTH_PARSE_PROFILE_ERROR')).toBe('profile');
    for (const code of ['JWT_SESSION_ERROR', 'SESSION_ERROR', 'SIGNOUT_ERROR', 'toString', '__proto__', '']) expect(idpErrorKindOfNextAuth(code), code).toBeUndefined();
  });

  it('are all among the kinds the counter starts with', () => {
    for (const code of ['OAUTH_CALLBACK_ERROR', 'SIGNIN_OAUTH_ERROR', 'OAUTH_PARSE_PROFILE_ERROR']) expect(IDP_ERROR_KINDS).toContain(idpErrorKindOfNextAuth(code));
  });
});
