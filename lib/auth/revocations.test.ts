import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetSettings } from '../settings';
import { isRevoked, revocationsReady, revokeSession } from './revocations';

const state = mkdtempSync(join(tmpdir(), 'portal-state-'));
const saved = { ...process.env };
process.env.PORTAL_SANDBOX = 'true';
process.env.PORTAL_STATE_DIR = state;
delete process.env.PORTAL_SESSION_STORE;
resetSettings();
afterAll(() => {
  process.env = saved;
  resetSettings();
});

describe('revocations (the file store, as PORTAL_SESSION_STORE defaults)', () => {
  it('refuses a session once it is revoked, records only its hash, and treats no id as revoked', async () => {
    expect(revocationsReady()).toBe(true);
    expect(isRevoked('3f1c0d62-aaaa-4bbb-8ccc-1234567890ab')).toBe(false);
    await revokeSession('3f1c0d62-aaaa-4bbb-8ccc-1234567890ab', Date.now() / 1000 + 60);
    expect(isRevoked('3f1c0d62-aaaa-4bbb-8ccc-1234567890ab')).toBe(true);
    expect(isRevoked('another-session')).toBe(false);
    expect(isRevoked(undefined)).toBe(true);
    const text = readFileSync(join(state, 'revoked-sessions'), 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9_-]{22} \d+\n$/);
    expect(text).not.toContain('3f1c0d62');
  });
});
