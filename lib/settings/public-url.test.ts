import { describe, expect, it } from 'vitest';
import { parsePublicUrl, publicUrlSettings } from './public-url';

describe('the public URL', () => {
  it('gives the origin as browsers send it, and the websocket origin of the same host', () => {
    expect(parsePublicUrl('http://localhost:3000/')).toEqual({ url: 'http://localhost:3000/', origin: 'http://localhost:3000', secure: false, websocketOrigin: 'ws://localhost:3000' });
    expect(parsePublicUrl('https://portal.example.com/base')).toMatchObject({ origin: 'https://portal.example.com', secure: true, websocketOrigin: 'wss://portal.example.com' });
  });
  it('refuses what is not an http(s) URL', () => {
    expect(() => parsePublicUrl('ftp://portal.example.com')).toThrow();
    expect(() => parsePublicUrl('portal.example.com')).toThrow();
  });
  it('is NEXTAUTH_URL, else localhost on the portal\'s port', () => {
    expect(publicUrlSettings({ NEXTAUTH_URL: 'https://p.example' }, 3000).secure).toBe(true);
    expect(publicUrlSettings({}, 8080).origin).toBe('http://localhost:8080');
  });
});
