import { describe, expect, it } from 'vitest';
import { endSessionUrl, idTokenHintFor, logoutUrlResponse } from './end-session';

const base = { clientId: 'kubevirt-portal', publicUrl: 'https://portal.example', idTokenHint: 'eyJ.hint.sig' };

describe('endSessionUrl', () => {
  it('is null when the IdP has no end_session_endpoint (Dex): sign out locally only', () => {
    expect(endSessionUrl({ ...base, endSessionEndpoint: undefined })).toBeNull();
  });

  it('sends the hint, the client and the way back to the portal’s sign-in page', () => {
    const url = new URL(endSessionUrl({ ...base, endSessionEndpoint: 'https://idp.example/realms/r/protocol/openid-connect/logout' })!);
    expect(url.origin + url.pathname).toBe('https://idp.example/realms/r/protocol/openid-connect/logout');
    expect(url.searchParams.get('id_token_hint')).toBe('eyJ.hint.sig');
    expect(url.searchParams.get('client_id')).toBe('kubevirt-portal');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://portal.example/signin?reason=signed_out');
  });

  it('keeps the endpoint’s own query and leaves the hint out when there is none', () => {
    const url = new URL(endSessionUrl({ ...base, idTokenHint: undefined, endSessionEndpoint: 'https://idp.example/logout?tenant=t1' })!);
    expect(url.searchParams.get('tenant')).toBe('t1');
    expect(url.searchParams.has('id_token_hint')).toBe(false);
  });

  it('refuses an endpoint a browser must not be sent to', () => {
    expect(endSessionUrl({ ...base, endSessionEndpoint: 'javascript:alert(1)' })).toBeNull();
    expect(endSessionUrl({ ...base, endSessionEndpoint: 'not a url' })).toBeNull();
  });
});

describe('idTokenHintFor', () => {
  const t = { idToken: 'eyJ.hint.sig', expiresAt: 2000 };
  it('keeps a live ID token out of the browser in token mode', () => expect(idTokenHintFor('token', t, 1000)).toBeUndefined());
  it('sends it when it is no Kubernetes credential', () => {
    expect(idTokenHintFor('impersonate', t, 1000)).toBe('eyJ.hint.sig');
    expect(idTokenHintFor('token', t, 2000)).toBe('eyJ.hint.sig');
  });
});

describe('logoutUrlResponse', () => {
  it('accepts a URL or null and nothing a browser should not open', () => {
    expect(logoutUrlResponse.safeParse({ url: null }).success).toBe(true);
    expect(logoutUrlResponse.safeParse({ url: 'https://idp.example/logout?x=1' }).success).toBe(true);
    expect(logoutUrlResponse.safeParse({ url: 'javascript:alert(1)' }).success).toBe(false);
  });
});
