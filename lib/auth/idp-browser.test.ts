import { describe, expect, it } from 'vitest';
import { idpBrowserView, isIdpPath, toBrowserUrl, upstreamUrl } from './idp-browser';

const issuer = 'https://127.0.0.1:5556/dex';
const portal = 'http://localhost:3000';

describe('the identity provider as the browser sees it', () => {
  it('is proxied when the settings ask for it, and never at the portal\'s root', () => {
    expect(idpBrowserView({ issuer, browserProxy: true }, portal)?.publicOrigin).toBe(portal);
    expect(idpBrowserView({ issuer: 'https://login.example.com/realms/x', browserProxy: false }, portal)).toBeUndefined();
    expect(idpBrowserView(undefined, portal)).toBeUndefined();
    // An issuer at the root would shadow the whole portal.
    expect(idpBrowserView({ issuer: 'https://idp.example.com/', browserProxy: true }, portal)).toBeUndefined();
  });

  it('sends the browser to the portal\'s origin for the issuer\'s pages only', () => {
    const v = idpBrowserView({ issuer, browserProxy: true }, portal)!;
    expect(toBrowserUrl(v, 'https://127.0.0.1:5556/dex/auth?client_id=x&state=y')).toBe('http://localhost:3000/dex/auth?client_id=x&state=y');
    expect(toBrowserUrl(v, 'https://127.0.0.1:5556/other')).toBe('https://127.0.0.1:5556/other');
    expect(toBrowserUrl(v, 'https://evil.example/dex/auth')).toBe('https://evil.example/dex/auth');
    expect(toBrowserUrl(v, 'https://127.0.0.1:5556/dexterity')).toBe('https://127.0.0.1:5556/dexterity');
    expect(toBrowserUrl(v, '/relative')).toBe('/relative');
  });

  it('serves the issuer\'s path and nothing beside it', () => {
    const v = idpBrowserView({ issuer, browserProxy: true }, portal)!;
    expect(['/dex', '/dex/auth', '/dex/static/main.css'].map((p) => isIdpPath(v, p))).toEqual([true, true, true]);
    expect(['/', '/dexterity', '/api/auth/signin', '/vms/dex'].map((p) => isIdpPath(v, p))).toEqual([false, false, false, false]);
    expect(upstreamUrl(v, '/dex/auth/local?req=1')).toBe('https://127.0.0.1:5556/dex/auth/local?req=1');
  });
});
