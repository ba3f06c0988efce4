import { describe, expect, it } from 'vitest';
import { parsePublicUrl, publicUrl } from './public-url';

describe('the public URL', () => {
  it('gives the origin as browsers send it, and the websocket origin of the same host', () => {
    expect(parsePublicUrl('http://localhost:3000/')).toEqual({ origin: 'http://localhost:3000', secure: false, websocketOrigin: 'ws://localhost:3000' });
    expect(parsePublicUrl('https://portal.example.com/base')).toEqual({ origin: 'https://portal.example.com', secure: true, websocketOrigin: 'wss://portal.example.com' });
  });
  it('refuses what is not an http(s) URL', () => {
    expect(() => parsePublicUrl('ftp://portal.example.com')).toThrow();
    expect(() => parsePublicUrl('portal.example.com')).toThrow();
  });
  it('is read from NEXTAUTH_URL and required', () => {
    expect(publicUrl({ NEXTAUTH_URL: 'https://p.example' } as NodeJS.ProcessEnv).secure).toBe(true);
    expect(() => publicUrl({} as NodeJS.ProcessEnv)).toThrow(/NEXTAUTH_URL/);
  });
});
