import { describe, expect, it } from 'vitest';

// server.ts loads the console proxy under plain Node (tsx), outside Next's bundler, where importing 'server-only'
// throws. Loaded here without mocking the marker, the whole chain (session cookie, access review, dial) must load.
describe('the console proxy as server.ts loads it', () => {
  it('imports without reaching a module marked server-only', async () => {
    await expect(import('server-only')).rejects.toThrow();
    const mod = await import('./index');
    expect(typeof mod.consoleProxy).toBe('function');
    expect(mod.CONSOLES_PREFIX).toBe('/api/consoles');
  });
});
