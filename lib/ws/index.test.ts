import { describe, expect, it } from 'vitest';
// Imported statically: the module graph loads before the tests, outside their time budget, and a marker
// ('server-only') anywhere in it would throw here and fail the file.
import * as proxy from './index';

// server.ts loads the console proxy under plain Node (tsx), outside Next's bundler, where importing 'server-only'
// throws. Loaded here without mocking the marker, the whole chain (session cookie, access review, dial) must load.
describe('the console proxy as server.ts loads it', () => {
  it('imports without reaching a module marked server-only', async () => {
    await expect(import('server-only')).rejects.toThrow();
    expect(typeof proxy.consoleProxy).toBe('function');
    expect(proxy.CONSOLES_PREFIX).toBe('/api/consoles');
  });
});
